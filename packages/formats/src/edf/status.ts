import type { Annotation } from '@cajal/core';

/**
 * BioSemi Status channel: the low 16 bits carry trigger codes, the high bits carry system
 * state (CMS/DRL, speed mode). Each change of the low 16 bits to a non-zero code becomes an
 * annotation whose text is the code and whose duration lasts until the next change.
 */

/** Most trigger annotations kept from one file (a noisy Status line must not flood memory). */
export const maximumTriggerAnnotations = 200_000;

/** Accumulates trigger changes sample by sample across records. */
export class TriggerDecoder {
  readonly annotations: Annotation[] = [];
  truncated = false;
  private previous = 0;
  private openAnnotation: Annotation | undefined;

  constructor(private readonly label: string) {}

  /** Feed digital values of `count` samples starting at time `onsetSeconds`, `rate` Hz. */
  feed(digital: Int32Array, count: number, onsetSeconds: number, rate: number): void {
    for (let k = 0; k < count; k++) {
      const code = (digital[k] as number) & 0xffff;
      if (code === this.previous) continue;
      const time = onsetSeconds + k / rate;
      this.close(time);
      this.previous = code;
      if (code === 0) continue;
      if (this.annotations.length >= maximumTriggerAnnotations) {
        this.truncated = true;
        continue;
      }
      this.openAnnotation = { onsetSeconds: time, durationSeconds: 0, text: String(code), channels: [this.label] };
      this.annotations.push(this.openAnnotation);
    }
  }

  /** End the current trigger at `time` (also call at the end of the data). */
  close(time: number): void {
    if (this.openAnnotation) {
      this.openAnnotation.durationSeconds = Math.max(0, Math.round((time - this.openAnnotation.onsetSeconds) * 1e9) / 1e9);
      this.openAnnotation = undefined;
    }
  }
}

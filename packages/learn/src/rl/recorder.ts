import { CajalError, createRecording, type Annotation, type Recording } from '@cajal/core';

/**
 * Collects an agent's internal signals (prediction error, values, policy) one sample per
 * step and turns them into a core `Recording`, so the signal tools that read brain recordings
 * read agents too. Every channel gets one value per recorded step; a step that did not set a
 * channel stores NaN.
 *
 * @example
 *   const recorder = new SignalRecorder(['rpe', 'value']);
 *   recorder.record({ rpe: 0.5, value: 0.1 });
 *   const recording = recorder.toRecording({ sampleRateHz: 10 });
 */
export class SignalRecorder {
  readonly channelNames: readonly string[];
  private readonly columns: number[][];
  private readonly annotations: Annotation[] = [];
  private steps = 0;

  /** `channelNames`: the channels, e.g. ["rpe", "value", "policy_0"]. */
  constructor(channelNames: readonly string[]) {
    this.channelNames = [...channelNames];
    this.columns = this.channelNames.map(() => []);
  }

  /** Number of steps recorded so far. */
  get length(): number {
    return this.steps;
  }

  /** Store one step; channels missing from `values` get NaN. Unknown names throw INVALID_ARGUMENT. */
  record(values: Record<string, number>): void {
    for (const key of Object.keys(values)) {
      if (!this.channelNames.includes(key)) {
        throw new CajalError('INVALID_ARGUMENT', `recorder has no channel "${key}"`, { field: key, available: this.channelNames });
      }
    }
    for (let c = 0; c < this.channelNames.length; c++) {
      const value = values[this.channelNames[c] as string];
      (this.columns[c] as number[]).push(value === undefined ? Number.NaN : value);
    }
    this.steps++;
  }

  /** Mark the current step (e.g. "episode 3 start") as an annotation. */
  mark(text: string): void {
    this.annotations.push({ onsetSeconds: this.steps, durationSeconds: 0, text });
  }

  /** The samples of one channel (a copy as Float32Array). */
  channel(name: string): Float32Array {
    const index = this.channelNames.indexOf(name);
    if (index < 0) throw new CajalError('NOT_FOUND', `recorder has no channel "${name}"`, { field: name });
    return Float32Array.from(this.columns[index] as number[]);
  }

  /**
   * Build the Recording. `sampleRateHz` defaults to 1 (one sample per step, so "seconds" are
   * steps); annotation onsets are converted to seconds at that rate.
   */
  toRecording(options: { sampleRateHz?: number; source?: string } = {}): Recording {
    const rate = options.sampleRateHz ?? 1;
    return createRecording({
      format: 'agent',
      channels: this.channelNames.map((label, c) => {
        const samples = Float32Array.from(this.columns[c] as number[]);
        return { label, unit: '', sampleRateHz: rate, sampleCount: samples.length, type: 'model' as const, samples };
      }),
      annotations: this.annotations.map((a) => ({ ...a, onsetSeconds: a.onsetSeconds / rate })),
      ...(options.source !== undefined ? { source: options.source } : {}),
    });
  }
}

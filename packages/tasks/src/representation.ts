import { CajalError } from '@cajal/core';

/**
 * Stimulus representations for timed conditioning (Ludvig, Sutton and Kehoe 2008):
 * - "presence": one feature per cue, 1 while the cue's trace is active.
 * - "csc" (complete serial compound): one feature per cue per step since cue onset, so every
 *   moment after the cue has its own weight (the tapped delay line of Schultz et al. 1997).
 * - "microstimulus": each cue starts a decaying memory trace y(t) = decay^t; m microstimuli
 *   are Gaussian bumps over trace height, m_i(t) = y(t) exp(-(y(t) - mu_i)^2 / (2 sigma^2)),
 *   mu_i evenly spaced in (0, 1], so later times are coded by wider, weaker features.
 */
export type RepresentationKind = 'presence' | 'csc' | 'microstimulus';

export interface RepresentationOptions {
  kind: RepresentationKind;
  /** Number of cues. */
  cueCount: number;
  /** Steps in a trial (CSC length). */
  trialLength: number;
  /** Microstimuli per cue (default 10). */
  microstimulusCount?: number;
  /** Width of each microstimulus over trace height (default 0.08). */
  microstimulusWidth?: number;
  /** Trace decay per step (default 0.93). */
  traceDecay?: number;
}

/** Number of features a representation produces. */
export function featureCount(options: RepresentationOptions): number {
  if (options.kind === 'presence') return options.cueCount;
  if (options.kind === 'csc') return options.cueCount * options.trialLength;
  return options.cueCount * (options.microstimulusCount ?? 10);
}

/**
 * Fill `out` with the features at one step, given for each cue the steps since its onset
 * (-1 or any negative number when the cue has not started in this trial).
 *
 * @example
 *   const x = new Float32Array(featureCount(o)); encodeFeatures(o, Int32Array.of(3), x);
 */
export function encodeFeatures(options: RepresentationOptions, stepsSinceOnset: ArrayLike<number>, out: Float32Array): Float32Array {
  if (stepsSinceOnset.length !== options.cueCount) {
    throw new CajalError('INVALID_ARGUMENT', `expected ${options.cueCount} cue times, got ${stepsSinceOnset.length}`, { field: 'stepsSinceOnset' });
  }
  out.fill(0);
  const m = options.microstimulusCount ?? 10;
  const width = options.microstimulusWidth ?? 0.08;
  const decay = options.traceDecay ?? 0.93;
  for (let cue = 0; cue < options.cueCount; cue++) {
    const since = stepsSinceOnset[cue] as number;
    if (since < 0) continue;
    if (options.kind === 'presence') {
      out[cue] = 1;
    } else if (options.kind === 'csc') {
      if (since < options.trialLength) out[cue * options.trialLength + since] = 1;
    } else {
      const trace = Math.pow(decay, since);
      for (let i = 0; i < m; i++) {
        const center = (i + 1) / m;
        const d = trace - center;
        out[cue * m + i] = trace * Math.exp(-(d * d) / (2 * width * width));
      }
    }
  }
  return out;
}

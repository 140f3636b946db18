/**
 * Display filters for the viewer, hand-written (a few biquads do not justify a DSP
 * dependency in the bundle): second-order Butterworth high-pass and low-pass and a notch,
 * RBJ "Audio EQ Cookbook" designs, run forward then backward (zero phase, so a spike stays
 * where it is; the magnitude response is squared, i.e. -6 dB at the cutoff).
 * Edges: the page is fetched with padding seconds either side; beyond that the signal is
 * extended by odd reflection (as SciPy's filtfilt), which keeps the transient small.
 *
 * @example
 *   const shown = applyDisplayFilters(samples, 256, { highPassHz: 0.5, lowPassHz: 35, notchHz: 50 });
 */

/** Normalised biquad coefficients (a0 = 1). */
export interface Biquad {
  b0: number;
  b1: number;
  b2: number;
  a1: number;
  a2: number;
}

/** Display filter settings; an absent or non-positive frequency turns that filter off. */
export interface DisplayFilterSettings {
  /** High-pass cutoff, Hz (typical 0.5 or 1). */
  highPassHz?: number;
  /** Low-pass cutoff, Hz (typical 35 or 70). */
  lowPassHz?: number;
  /** Notch centre, Hz (50 or 60). */
  notchHz?: number;
}

/** Second-order Butterworth low-pass at `cutoffHz` (Q = 1/sqrt 2). */
export function designLowPass(cutoffHz: number, sampleRateHz: number): Biquad {
  const w = (2 * Math.PI * cutoffHz) / sampleRateHz;
  const alpha = Math.sin(w) / (2 * Math.SQRT1_2);
  const cos = Math.cos(w);
  const a0 = 1 + alpha;
  return { b0: (1 - cos) / 2 / a0, b1: (1 - cos) / a0, b2: (1 - cos) / 2 / a0, a1: (-2 * cos) / a0, a2: (1 - alpha) / a0 };
}

/** Second-order Butterworth high-pass at `cutoffHz`. */
export function designHighPass(cutoffHz: number, sampleRateHz: number): Biquad {
  const w = (2 * Math.PI * cutoffHz) / sampleRateHz;
  const alpha = Math.sin(w) / (2 * Math.SQRT1_2);
  const cos = Math.cos(w);
  const a0 = 1 + alpha;
  return { b0: (1 + cos) / 2 / a0, b1: -(1 + cos) / a0, b2: (1 + cos) / 2 / a0, a1: (-2 * cos) / a0, a2: (1 - alpha) / a0 };
}

/** Notch at `centreHz` with quality factor `q` (default 30: about 1.7 Hz wide at 50 Hz). */
export function designNotch(centreHz: number, sampleRateHz: number, q = 30): Biquad {
  const w = (2 * Math.PI * centreHz) / sampleRateHz;
  const alpha = Math.sin(w) / (2 * q);
  const cos = Math.cos(w);
  const a0 = 1 + alpha;
  return { b0: 1 / a0, b1: (-2 * cos) / a0, b2: 1 / a0, a1: (-2 * cos) / a0, a2: (1 - alpha) / a0 };
}

/** Run `filter` over `data` in place, forwards (direction 1) or backwards (-1); transposed direct form II. */
function runBiquad(filter: Biquad, data: Float64Array, direction: 1 | -1): void {
  const { b0, b1, b2, a1, a2 } = filter;
  const n = data.length;
  if (n === 0) return;
  // Start in the steady state for a constant input equal to the first sample (lfilter_zi).
  const first = data[direction === 1 ? 0 : n - 1] as number;
  const dc = (b0 + b1 + b2) / (1 + a1 + a2);
  let z1 = first * (dc - b0);
  let z2 = first * (b2 - a2 * dc);
  let i = direction === 1 ? 0 : n - 1;
  for (let k = 0; k < n; k++, i += direction) {
    const x = data[i] as number;
    const y = b0 * x + z1;
    z1 = b1 * x - a1 * y + z2;
    z2 = b2 * x - a2 * y;
    data[i] = y;
  }
}

/** The biquads the settings ask for at this sample rate (cutoffs at or above Nyquist are skipped). */
export function designDisplayFilters(settings: DisplayFilterSettings, sampleRateHz: number): Biquad[] {
  const nyquist = sampleRateHz / 2;
  const out: Biquad[] = [];
  if (settings.highPassHz && settings.highPassHz > 0 && settings.highPassHz < nyquist) out.push(designHighPass(settings.highPassHz, sampleRateHz));
  if (settings.lowPassHz && settings.lowPassHz > 0 && settings.lowPassHz < nyquist) out.push(designLowPass(settings.lowPassHz, sampleRateHz));
  if (settings.notchHz && settings.notchHz > 0 && settings.notchHz < nyquist) out.push(designNotch(settings.notchHz, sampleRateHz));
  return out;
}

/**
 * Filter `samples` forward-backward with the display filters. `reflectSamples` (default: 3 s
 * worth, at most the signal length - 1) of odd reflection are added at each end and removed
 * afterwards. Returns a new Float32Array of the same length (or `samples` itself when no
 * filter is on).
 */
export function applyDisplayFilters(samples: Float32Array, sampleRateHz: number, settings: DisplayFilterSettings, reflectSamples?: number): Float32Array {
  const filters = designDisplayFilters(settings, sampleRateHz);
  if (filters.length === 0 || samples.length < 2) return samples;
  const n = samples.length;
  const pad = Math.max(0, Math.min(n - 1, Math.round(reflectSamples ?? 3 * sampleRateHz)));
  const work = new Float64Array(n + 2 * pad);
  const head = samples[0] as number;
  const tail = samples[n - 1] as number;
  for (let i = 0; i < pad; i++) work[i] = 2 * head - (samples[pad - i] as number);
  for (let i = 0; i < n; i++) work[pad + i] = samples[i] as number;
  for (let i = 0; i < pad; i++) work[pad + n + i] = 2 * tail - (samples[n - 2 - i] as number);
  for (const filter of filters) {
    runBiquad(filter, work, 1);
    runBiquad(filter, work, -1);
  }
  return Float32Array.from(work.subarray(pad, pad + n));
}

/** Magnitude response |H(f)| of one biquad at `frequencyHz` (single pass). */
export function biquadMagnitude(filter: Biquad, frequencyHz: number, sampleRateHz: number): number {
  const w = (2 * Math.PI * frequencyHz) / sampleRateHz;
  const re = (c0: number, c1: number, c2: number): number => c0 + c1 * Math.cos(w) + c2 * Math.cos(2 * w);
  const im = (c1: number, c2: number): number => -c1 * Math.sin(w) - c2 * Math.sin(2 * w);
  const numerator = Math.hypot(re(filter.b0, filter.b1, filter.b2), im(filter.b1, filter.b2));
  const denominator = Math.hypot(re(1, filter.a1, filter.a2), im(filter.a1, filter.a2));
  return numerator / denominator;
}

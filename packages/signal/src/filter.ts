import { CajalError } from '@cajal/core';
import { nextPowerOfTwo, planRealFft } from './fft.ts';
import { designFirFilter, designNotchFilter } from './fir.ts';
import type { FirDesignOptions, FirFilter } from './fir.ts';

/**
 * Zero-phase FIR filtering the way MNE-Python applies it: pad each end with len(h)-1 samples
 * of odd reflection ('reflect_limited'), convolve by FFT overlap-add, remove the (len(h)-1)/2
 * delay. Linear convolution is exact, so the result equals MNE's to rounding.
 */

export type Samples = Float32Array | Float64Array;

/** MNE's `_smart_pad` with 'reflect_limited': odd reflection, zeros beyond the signal's length. */
export function padReflectLimited(x: Samples, padLeft: number, padRight: number): Float64Array {
  const n = x.length;
  const out = new Float64Array(n + padLeft + padRight);
  const first = x[0];
  const last = x[n - 1];
  // Left: 2*x[0] - x[padLeft..1]; zeros for the part that would reach past the signal.
  const leftZeros = Math.max(padLeft - n + 1, 0);
  for (let i = leftZeros; i < padLeft; i++) out[i] = 2 * first - x[padLeft - i];
  for (let i = 0; i < n; i++) out[padLeft + i] = x[i];
  const rightZeros = Math.max(padRight - n + 1, 0);
  for (let i = 0; i < padRight - rightZeros; i++) out[padLeft + n + i] = 2 * last - x[n - 2 - i];
  return out;
}

/** MNE's FFT-length choice for overlap-add: minimise blocks * N * (log2 N + 1) + 4e-5 * N * n. */
export function chooseOverlapAddSize(signalLength: number, filterLength: number): number {
  const minFft = 2 * filterLength - 1;
  if (signalLength < minFft) return nextPowerOfTwo(minFft);
  let best = nextPowerOfTwo(minFft);
  let bestCost = Infinity;
  for (let n = nextPowerOfTwo(minFft); n <= nextPowerOfTwo(signalLength); n *= 2) {
    const cost = Math.ceil(signalLength / (n - filterLength + 1)) * n * (Math.log2(n) + 1) + 4e-5 * n * signalLength;
    if (cost < bestCost) {
      bestCost = cost;
      best = n;
    }
  }
  return best;
}

/** A filter prepared for repeated overlap-add use: its spectrum at one FFT size. */
export interface PreparedFir {
  coefficients: Float64Array;
  fftSize: number;
  spectrumRe: Float64Array;
  spectrumIm: Float64Array;
}

/**
 * Precompute the filter spectrum for overlap-add on signals of about `signalLength` samples
 * (`fftSize`, a power of two >= 2 * taps - 1, overrides MNE's block-size choice).
 */
export function prepareFir(coefficients: Float64Array, signalLength: number, fftSize = chooseOverlapAddSize(signalLength + 2 * (coefficients.length - 1), coefficients.length)): PreparedFir {
  const plan = planRealFft(fftSize);
  const padded = new Float64Array(fftSize);
  padded.set(coefficients);
  const bins = fftSize / 2 + 1;
  const spectrumRe = new Float64Array(bins);
  const spectrumIm = new Float64Array(bins);
  plan.forward(padded, spectrumRe, spectrumIm);
  return { coefficients, fftSize, spectrumRe, spectrumIm };
}

/**
 * Apply an odd-length FIR filter with zero phase (MNE's phase='zero', pad='reflect_limited')
 * by FFT overlap-add. Returns a new array of the same length (Float64Array unless `output` is given).
 *
 * @example
 *   const y = applyFirZeroPhase(samples, designFirFilter(256, 1, 40).coefficients);
 */
export function applyFirZeroPhase(x: Samples, filter: Float64Array | PreparedFir, output?: Samples): Samples {
  const n = x.length;
  if (n === 0) return output ?? new Float64Array(0);
  const prepared = filter instanceof Float64Array ? prepareFir(filter, n) : filter;
  const h = prepared.coefficients;
  const taps = h.length;
  if (taps % 2 !== 1) throw new CajalError('INVALID_ARGUMENT', `zero-phase FIR needs an odd number of taps, got ${taps}`, { field: 'filter' });
  // The padded signal (MNE's reflect_limited, `edge` samples each side) is read on the fly.
  const edge = Math.max(Math.min(taps, n) - 1, 0);
  const first = x[0];
  const last = x[n - 1];
  const totalLength = n + 2 * edge;
  const leftZeros = Math.max(edge - n + 1, 0);
  const rightStart = edge + n;
  const rightEnd = totalLength - Math.max(edge - n + 1, 0);
  const extendedAt = (e: number): number => {
    if (e < edge) return e < leftZeros ? 0 : 2 * first - x[edge - e];
    if (e < rightStart) return x[e - edge];
    return e < rightEnd ? 2 * last - x[n - 2 - (e - rightStart)] : 0;
  };
  const delay = (taps - 1) / 2;
  // Output sample i is full-convolution index edge + delay + i.
  const firstOut = edge + delay;
  const nfft = prepared.fftSize;
  const block = nfft - taps + 1;
  const plan = planRealFft(nfft);
  const bins = nfft / 2 + 1;
  const buffer = new Float64Array(nfft);
  const re = new Float64Array(bins);
  const im = new Float64Array(bins);
  const hr = prepared.spectrumRe;
  const hi = prepared.spectrumIm;
  // Accumulate in float64; in place (output === x) needs a separate accumulator.
  const direct = output === undefined ? new Float64Array(n) : output instanceof Float64Array && output !== x ? output : null;
  const result = direct ?? new Float64Array(n);
  if (direct && output) result.fill(0);
  for (let start = 0; start < totalLength; start += block) {
    // This block contributes to full-convolution indices [start, start + block + taps - 1).
    if (start + block + taps - 1 <= firstOut) continue;
    if (start >= firstOut + n) break;
    const count = Math.min(block, totalLength - start);
    // Copy the block: left pad, signal, right pad.
    let k = 0;
    const signalFrom = Math.max(start, edge);
    const signalTo = Math.min(start + count, rightStart);
    for (; start + k < signalFrom && k < count; k++) buffer[k] = extendedAt(start + k);
    for (let e = start + k; e < signalTo; e++, k++) buffer[k] = x[e - edge];
    for (; k < count; k++) buffer[k] = extendedAt(start + k);
    buffer.fill(0, count);
    plan.forward(buffer, re, im);
    for (let b = 0; b < bins; b++) {
      const ar = re[b], ai = im[b];
      re[b] = ar * hr[b] - ai * hi[b];
      im[b] = ar * hi[b] + ai * hr[b];
    }
    plan.inverse(re, im, buffer);
    const lo = Math.max(start, firstOut);
    const hiIndex = Math.min(start + count + taps - 1, firstOut + n);
    for (let t = lo; t < hiIndex; t++) result[t - firstOut] += buffer[t - start];
  }
  if (output === undefined) return result;
  if (result !== output) output.set(result);
  return output;
}

/** Full linear convolution of two coefficient vectors. */
export function convolve(a: ArrayLike<number>, b: ArrayLike<number>): Float64Array {
  if (a.length === 0 || b.length === 0) return new Float64Array(0);
  const out = new Float64Array(a.length + b.length - 1);
  for (let i = 0; i < a.length; i++) {
    const ai = a[i];
    for (let j = 0; j < b.length; j++) out[i + j] += ai * b[j];
  }
  return out;
}

/** A cascade of zero-phase FIR stages prepared for `applyFirCascadeZeroPhase`. */
export interface PreparedFirCascade {
  stages: Float64Array[];
  /** The stages convolved into one filter, prepared for overlap-add. */
  combined: PreparedFir;
  /** Samples at each end recomputed stage by stage (sum of the half-lengths of stages 2..k). */
  halo: number;
}

/** Prepare `applyFirCascadeZeroPhase` for signals of about `signalLength` samples. */
export function prepareFirCascade(stages: Float64Array[], signalLength: number): PreparedFirCascade {
  if (stages.length === 0) throw new CajalError('INVALID_ARGUMENT', 'a filter cascade needs at least one stage', { field: 'stages' });
  for (const h of stages) if (h.length % 2 !== 1) throw new CajalError('INVALID_ARGUMENT', `zero-phase FIR needs an odd number of taps, got ${h.length}`, { field: 'filter' });
  const combined = stages.slice(1).reduce<Float64Array>((acc, h) => convolve(acc, h), stages[0] as Float64Array);
  const halo = stages.slice(1).reduce((sum, h) => sum + (h.length - 1) / 2, 0);
  return { stages, combined: prepareFir(combined, signalLength), halo };
}

/**
 * Several zero-phase FIR filters applied one after the other, each the MNE way (reflect_limited
 * padding of its own), e.g. a band-pass then a notch, in ONE overlap-add pass: away from the ends
 * the cascade is convolution with the combined filter; the `halo` samples at each end, where a
 * later stage's padding reflects an earlier stage's output, are recomputed stage by stage on a
 * short piece of the signal. Equals applying `applyFirZeroPhase` stage by stage to rounding
 * (about 1e-12 relative); half the work for two stages.
 *
 * @example
 *   const y = applyFirCascadeZeroPhase(x, [designFirFilter(256, 1, 40).coefficients, designNotchFilter(256, [50]).coefficients]);
 */
export function applyFirCascadeZeroPhase(x: Samples, cascade: Float64Array[] | PreparedFirCascade, output?: Samples): Samples {
  const n = x.length;
  const prepared = Array.isArray(cascade) ? prepareFirCascade(cascade, n) : cascade;
  const { stages, halo } = prepared;
  const sequential = (segment: Samples): Samples => stages.reduce<Samples>((y, h) => applyFirZeroPhase(y, h), segment);
  const totalTaps = stages.reduce((sum, h) => sum + h.length, 0);
  const piece = 2 * totalTaps;
  if (stages.length === 1 || n < 2 * piece) {
    const y = sequential(x);
    if (!output) return y;
    output.set(y);
    return output;
  }
  const y = applyFirZeroPhase(x, prepared.combined, output);
  const head = sequential(x.subarray(0, piece));
  for (let t = 0; t < halo; t++) y[t] = head[t];
  const tail = sequential(x.subarray(n - piece));
  for (let t = 0; t < halo; t++) y[n - 1 - t] = tail[piece - 1 - t];
  return y;
}

/** Options of `filterData`: MNE's design options plus where to write. */
export interface FilterDataOptions extends FirDesignOptions {
  /** Write into this array (same length as the input) instead of a new Float64Array. */
  output?: Samples;
}

/**
 * `mne.filter.filter_data(x, sfreq, lFreq, hFreq)` with MNE's defaults (FIR, firwin, Hamming,
 * zero phase, automatic transitions and length, reflect_limited padding) for one channel.
 *
 * @example
 *   const bandPassed = filterData(samples, 256, 1, 40);
 */
export function filterData(samples: Samples, sfreq: number, lFreq: number | null, hFreq: number | null, options: FilterDataOptions = {}): Samples {
  const filter = designFirFilter(sfreq, lFreq, hFreq, options);
  return applyFirZeroPhase(samples, filter.coefficients, options.output);
}

/**
 * MNE's default FIR notch (`mne.filter.notch_filter(x, sfreq, freqs)`): stop bands of width f/200
 * at each frequency (e.g. [50, 100, 150] for 50 Hz and its harmonics), 0.5-Hz transitions.
 *
 * @example
 *   const clean = notchFilter(samples, 256, [50, 100]);
 */
export function notchFilter(samples: Samples, sfreq: number, freqs: number[] = [50], options: { output?: Samples; notchWidths?: number[]; transBandwidth?: number } = {}): Samples {
  const filter: FirFilter = designNotchFilter(sfreq, freqs, options);
  return applyFirZeroPhase(samples, filter.coefficients, options.output);
}

/** Harmonics of `lineFrequency` below Nyquist: 50 Hz at 256 Hz gives [50, 100]. */
export function lineHarmonics(lineFrequency: number, sfreq: number): number[] {
  const out: number[] = [];
  for (let f = lineFrequency; f < sfreq / 2 - 1; f += lineFrequency) out.push(f);
  return out;
}

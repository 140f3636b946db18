import { CajalError } from '@cajal/core';
import { isPowerOfTwo, libraryFftPlan, nextPowerOfTwo } from './fft.ts';
import { planInterleavedRealFft, planRealFft } from './real-fft.ts';
import { filterPairByFft } from './fir-pair.ts';
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
  const minFft = Math.max(2 * filterLength - 1, 8);
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
  /**
   * For symmetric (linear-phase, to 1e-14 of the largest tap) filters, the real spectrum of the filter centred on sample 0
   * (h[delay + m] at m, h[delay - m] at fftSize - m): the multiply is then real. Null otherwise.
   */
  centredSpectrum: Float64Array | null;
}

/**
 * Precompute the filter spectrum for overlap-add on signals of about `signalLength` samples
 * (`fftSize`, a power of two >= 2 * taps - 1, overrides MNE's block-size choice).
 */
export function prepareFir(coefficients: Float64Array, signalLength: number, fftSize = chooseOverlapAddSize(signalLength + 2 * (coefficients.length - 1), coefficients.length)): PreparedFir {
  const taps = coefficients.length;
  const delay = (taps - 1) / 2;
  // Symmetric to rounding (designs and their convolutions are symmetric up to ~1e-17).
  let peak = 0;
  for (const value of coefficients) peak = Math.max(peak, Math.abs(value));
  let symmetric = taps % 2 === 1;
  for (let k = 0; symmetric && k < delay; k++) symmetric = Math.abs(coefficients[k] - coefficients[taps - 1 - k]) <= 1e-14 * peak;
  const bins = fftSize / 2 + 1;
  const spectrumRe = new Float64Array(bins);
  const spectrumIm = new Float64Array(bins);
  const centredSpectrum: Float64Array | null = symmetric ? new Float64Array(bins) : null;
  if (isPowerOfTwo(fftSize) && fftSize >= 4 && taps <= fftSize) {
    // One complex transform (the plan the paired filtering uses): the filter in the real part, the
    // centred filter (h[delay + m] at m, h[delay - m] at fftSize - m) in the imaginary part;
    // H[k] = (Z[k] + conj Z[-k]) / 2, C[k] = (Z[k] - conj Z[-k]) / 2i (C is real for a symmetric h).
    const library = libraryFftPlan(fftSize);
    const z = new Float64Array(2 * fftSize);
    for (let m = 0; m < taps; m++) z[2 * m] = coefficients[m] as number;
    if (symmetric) {
      for (let m = 0; m <= delay; m++) z[2 * m + 1] = coefficients[delay + m] as number;
      for (let m = 1; m <= delay; m++) z[2 * (fftSize - m) + 1] = coefficients[delay - m] as number;
    }
    const spectrum = new Float64Array(2 * fftSize);
    library.transform(spectrum, z);
    for (let k = 0; k < bins; k++) {
      const j = 2 * k;
      const r = 2 * ((fftSize - k) % fftSize);
      const zr = spectrum[j] as number, zi = spectrum[j + 1] as number;
      const wr = spectrum[r] as number, wi = spectrum[r + 1] as number;
      spectrumRe[k] = (zr + wr) / 2;
      spectrumIm[k] = (zi - wi) / 2;
      if (centredSpectrum) centredSpectrum[k] = (zi + wi) / 2;
    }
  } else {
    const plan = planRealFft(fftSize);
    const padded = new Float64Array(fftSize);
    padded.set(coefficients);
    plan.forward(padded, spectrumRe, spectrumIm);
    if (centredSpectrum) {
      padded.fill(0);
      for (let m = 0; m <= delay; m++) padded[m] = coefficients[delay + m];
      for (let m = 1; m <= delay; m++) padded[fftSize - m] = coefficients[delay - m];
      plan.forward(padded, centredSpectrum, new Float64Array(bins));
    }
  }
  return { coefficients, fftSize, spectrumRe, spectrumIm, centredSpectrum };
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
  const plan = planInterleavedRealFft(nfft);
  const bins = nfft / 2 + 1;
  const buffer = new Float64Array(nfft);
  const spectrum = plan.createSpectrum();
  const hr = prepared.spectrumRe;
  const hi = prepared.spectrumIm;
  const centred = prepared.centredSpectrum;
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
    plan.forward(buffer, spectrum);
    if (centred) {
      // Real multiply; the circular result holds linear indices [-delay, 0) at the buffer's end.
      for (let b = 0, j = 0; b < bins; b++, j += 2) {
        const g = centred[b];
        spectrum[j] *= g;
        spectrum[j + 1] *= g;
      }
      plan.inverse(spectrum, buffer);
      // Linear index m (of the block convolved with the centred filter) is full-convolution index start + delay + m.
      const lo = Math.max(-delay, firstOut - start - delay);
      const hiIndex = Math.min(count + delay, firstOut + n - start - delay);
      const offset = start + delay - firstOut;
      for (let m = lo; m < Math.min(0, hiIndex); m++) result[m + offset] += buffer[m + nfft];
      for (let m = Math.max(0, lo); m < hiIndex; m++) result[m + offset] += buffer[m];
      continue;
    }
    for (let b = 0, j = 0; b < bins; b++, j += 2) {
      const ar = spectrum[j], ai = spectrum[j + 1];
      spectrum[j] = ar * hr[b] - ai * hi[b];
      spectrum[j + 1] = ar * hi[b] + ai * hr[b];
    }
    plan.inverse(spectrum, buffer);
    const lo = Math.max(start, firstOut);
    const hiIndex = Math.min(start + count + taps - 1, firstOut + n);
    for (let t = lo; t < hiIndex; t++) result[t - firstOut] += buffer[t - start];
  }
  if (output === undefined) return result;
  if (result !== output) output.set(result);
  return output;
}

/**
 * Two channels of equal length through the same symmetric FIR filter, zero phase (like
 * `applyFirZeroPhase` on each), in one complex FFT per block: channel a in the real part,
 * channel b in the imaginary part; the filter's centred spectrum is real, so the two never mix.
 * About 25 % less work than two single-channel passes. `b` may be null (one channel, imaginary
 * part zero; `outputs[1]` is then ignored and returned as given or empty).
 */
export function applyFirZeroPhasePair<T extends Samples = Float64Array>(a: Samples, b: Samples | null, prepared: PreparedFir, outputs?: [T, T]): [T, T] {
  const n = a.length;
  const outA = outputs ? outputs[0] : (new Float64Array(n) as Samples as T);
  const outB = outputs ? outputs[1] : (new Float64Array(b ? n : 0) as Samples as T);
  if (!prepared.centredSpectrum || (b && b.length !== n) || n === 0) {
    applyFirZeroPhase(a, prepared, outA);
    if (b) applyFirZeroPhase(b, prepared, outB);
    return [outA, outB];
  }
  filterPairByFft(a, b, prepared, outA, outB);
  return [outA, outB];
}

/**
 * `applyFirCascadeZeroPhase` over many channels of one length, two at a time through
 * `applyFirZeroPhasePair` (an odd one out runs alone). Outputs in input order, float64 by
 * default or float32 (`output: 'float32'`, what a Recording holds: half the memory).
 */
export function applyFirCascadeZeroPhaseMany(channels: Samples[], cascade: Float64Array[] | PreparedFirCascade, options: { output?: 'float64' | 'float32' } = {}): Samples[] {
  const n = channels[0]?.length ?? 0;
  const prepared = Array.isArray(cascade) ? prepareFirCascade(cascade, n) : cascade;
  const make = (length: number): Samples => (options.output === 'float32' ? new Float32Array(length) : new Float64Array(length));
  const out: Samples[] = new Array(channels.length);
  const pairable = prepared.combined.centredSpectrum !== null && (prepared.stages.length === 1 ? n >= prepared.combined.coefficients.length : n >= 2 * prepared.piece);
  let c = 0;
  for (; pairable && c + 1 < channels.length; c += 2) {
    const a = channels[c] as Samples;
    const b = channels[c + 1] as Samples;
    if (a.length !== n || b.length !== n) break;
    const [ya, yb] = applyFirZeroPhasePair(a, b, prepared.combined, [make(n), make(n)]);
    fixCascadeEnds(a, ya, prepared);
    fixCascadeEnds(b, yb, prepared);
    out[c] = ya;
    out[c + 1] = yb;
  }
  if (pairable && c === channels.length - 1 && (channels[c] as Samples).length === n) {
    const x = channels[c] as Samples;
    const taps = prepared.combined.coefficients.length;
    const delay = (taps - 1) / 2;
    const half = Math.ceil(n / 2);
    const piece = half + delay;
    let y: Samples;
    if (piece < n && piece >= taps) {
      // The odd one out as its own pair: the first half (and `delay` samples beyond) in the real
      // part, the second half (and `delay` samples before) in the imaginary part. Outputs more
      // than `delay` from a piece's inner end see only true samples, so they are the channel's
      // own; the outer ends are padded and fixed as usual. Half the transforms of a zero partner.
      const head = x.subarray(0, piece);
      const tail = x.subarray(n - piece);
      const [yHead, yTail] = applyFirZeroPhasePair(head, tail, prepared.combined, [make(piece), make(piece)]);
      y = make(n);
      y.set(yHead.subarray(0, half));
      y.set(yTail.subarray(piece - (n - half)), half);
    } else {
      // One channel in the real part, zeros in the imaginary part.
      [y] = applyFirZeroPhasePair(x, null, prepared.combined, [make(n), make(0)]);
    }
    fixCascadeEnds(x, y, prepared);
    out[c] = y;
    c++;
  }
  for (; c < channels.length; c++) {
    const x = channels[c] as Samples;
    out[c] = applyFirCascadeZeroPhase(x, prepared, make(x.length));
  }
  return out;
}

/** Recompute the `halo` end samples of a cascade output stage by stage. */
function fixCascadeEnds(x: Samples, y: Samples, prepared: PreparedFirCascade): void {
  const { halo, piece } = prepared;
  if (halo === 0) return;
  const n = x.length;
  // Head and tail pieces stage by stage, the two through each stage in one complex FFT per block.
  let head: Samples = x.subarray(0, piece);
  let tail: Samples = x.subarray(n - piece);
  for (const stage of prepared.preparedStages) [head, tail] = applyFirZeroPhasePair(head, tail, stage);
  for (let t = 0; t < halo; t++) y[t] = head[t] as number;
  for (let t = 0; t < halo; t++) y[n - 1 - t] = tail[piece - 1 - t] as number;
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
  /** Length of the end pieces filtered stage by stage, and the stages prepared for it. */
  piece: number;
  preparedStages: PreparedFir[];
}

/**
 * Prepare `applyFirCascadeZeroPhase` for signals of about `signalLength` samples (`fftSize`, a
 * power of two >= 2 * combined taps - 1, overrides the overlap-add block size of the combined filter).
 */
export function prepareFirCascade(stages: Float64Array[], signalLength: number, fftSize?: number): PreparedFirCascade {
  if (stages.length === 0) throw new CajalError('INVALID_ARGUMENT', 'a filter cascade needs at least one stage', { field: 'stages' });
  for (const h of stages) if (h.length % 2 !== 1) throw new CajalError('INVALID_ARGUMENT', `zero-phase FIR needs an odd number of taps, got ${h.length}`, { field: 'filter' });
  const combined = stages.slice(1).reduce<Float64Array>((acc, h) => convolve(acc, h), stages[0] as Float64Array);
  const halo = stages.slice(1).reduce((sum, h) => sum + (h.length - 1) / 2, 0);
  const piece = 2 * stages.reduce((sum, h) => sum + h.length, 0);
  return { stages, combined: prepareFir(combined, signalLength, fftSize), halo, piece, preparedStages: stages.map((h) => prepareFir(h, piece)) };
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
  const { stages, piece } = prepared;
  const sequential = (segment: Samples, filters: Array<Float64Array | PreparedFir>): Samples => filters.reduce<Samples>((y, h) => applyFirZeroPhase(y, h), segment);
  if (stages.length === 1 || n < 2 * piece) {
    const y = sequential(x, stages);
    if (!output) return y;
    output.set(y);
    return output;
  }
  const y = applyFirZeroPhase(x, prepared.combined, output);
  fixCascadeEnds(x, y, prepared);
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

import { CajalError } from '@cajal/core';
import { applyFirCascadeZeroPhase, applyFirCascadeZeroPhaseMany, prepareFirCascade } from './filter.ts';
import type { PreparedFirCascade } from './filter.ts';
import { designFirFilter, designNotchFilter } from './fir.ts';
import { forEachSegmentSpectrum, planSegments, spectrumScale, doubleOneSided } from './welch.ts';
import { selectBins } from './connectivity.ts';
import type { SegmentSpectra } from './connectivity.ts';
import { aperiodicExponent, peakAlphaFrequency, spectralEntropy } from './bands.ts';
import { hjorth, lineLength } from './features.ts';

/**
 * The per-channel half of the default pipeline, a pure function so a worker can run it:
 * band-pass + notch (MNE defaults), one pass of windowed segment FFTs giving both the Welch
 * PSD (Hamming, MNE conventions) and the connectivity band's Fourier coefficients (Hann,
 * SciPy coherence conventions), and summary features.
 */
export interface ChannelAnalysisInput {
  samples: Float32Array;
  sampleRateHz: number;
  /** Band-pass edges in Hz, [low, high]; null skips the band-pass. */
  bandpass: [number, number] | null;
  /** Notch frequencies (Hz); empty skips the notch. */
  notchFrequencies: number[];
  /** Welch segment length and overlap (samples). */
  nperseg: number;
  noverlap: number;
  /** Band (Hz) whose Fourier coefficients are kept for connectivity. */
  connectivityBand: [number, number];
  /** Keep the connectivity band's upper edge bin (default true). */
  includeHigh?: boolean;
}

export interface ChannelAnalysisOutput {
  filtered: Float32Array;
  /** One-sided Welch PSD, Hamming window (MNE psd_array_welch conventions), units^2/Hz. */
  psd: Float64Array;
  frequencies: Float64Array;
  /** Hann-windowed segment spectra of the connectivity band. */
  bandSpectra: SegmentSpectra;
  features: { peak_alpha_frequency_hz: number; spectral_entropy: number; aperiodic_exponent: number; line_length_per_second: number; hjorth_activity: number; hjorth_mobility: number; hjorth_complexity: number };
}

const cascadeCache = new Map<string, PreparedFirCascade>();

/**
 * Analyse one channel (see the module comment).
 *
 * @example
 *   const out = analyzeChannel({ samples, sampleRateHz: 256, bandpass: [1, 40], notchFrequencies: [50], nperseg: 512, noverlap: 256, connectivityBand: [8, 13] });
 */
export function analyzeChannel(input: ChannelAnalysisInput): ChannelAnalysisOutput {
  const cascade = cascadeFor(input);
  return analyzeFiltered(input, cascade ? applyFirCascadeZeroPhase(input.samples, cascade) : input.samples);
}

/**
 * `analyzeChannel` for several channels sharing rate, length and filter settings (the pipeline
 * passes pairs): the band-pass + notch runs two channels per complex FFT
 * (`applyFirCascadeZeroPhaseMany`, float64 outputs), the rest per channel. Same numbers as
 * `analyzeChannel` on each to rounding (~1e-15 relative: a different FFT order).
 */
export function analyzeChannels(inputs: ChannelAnalysisInput[]): ChannelAnalysisOutput[] {
  const first = inputs[0];
  if (!first) return [];
  const sameSettings = inputs.every((input) => input.samples.length === first.samples.length && input.sampleRateHz === first.sampleRateHz && JSON.stringify([input.bandpass, input.notchFrequencies]) === JSON.stringify([first.bandpass, first.notchFrequencies]));
  if (!sameSettings || inputs.length === 1) return inputs.map(analyzeChannel);
  const cascade = cascadeFor(first);
  const filtered: Array<Float32Array | Float64Array> = cascade ? applyFirCascadeZeroPhaseMany(inputs.map((input) => input.samples), cascade) : inputs.map((input) => input.samples);
  return inputs.map((input, c) => analyzeFiltered(input, filtered[c] as Float32Array | Float64Array));
}

/** The prepared band-pass + notch cascade for an input's settings (cached), or null for none. */
function cascadeFor(input: ChannelAnalysisInput): PreparedFirCascade | null {
  const fs = input.sampleRateHz;
  const n = input.samples.length;
  if (input.nperseg % 2 !== 0) throw new CajalError('INVALID_ARGUMENT', `nperseg must be even, got ${input.nperseg}`, { field: 'nperseg' });
  const stages: Array<{ key: string; make: () => Float64Array }> = [];
  if (input.bandpass) {
    const [lo, hi] = input.bandpass;
    stages.push({ key: `bp:${lo}:${hi}`, make: () => designFirFilter(fs, lo, hi).coefficients });
  }
  const notch = input.notchFrequencies.filter((f) => f < fs / 2 - 1);
  if (notch.length > 0) stages.push({ key: `notch:${notch.join(',')}`, make: () => designNotchFilter(fs, notch).coefficients });
  if (stages.length === 0) return null;
  // Band-pass then notch, each the MNE way, in one overlap-add pass (applyFirCascadeZeroPhase).
  const key = `${fs}:${n}:${stages.map((s) => s.key).join('|')}`;
  let cascade = cascadeCache.get(key);
  if (!cascade) {
    cascade = prepareFirCascade(stages.map((s) => s.make()), n);
    if (cascadeCache.size > 16) cascadeCache.clear();
    cascadeCache.set(key, cascade);
  }
  return cascade;
}

/** Spectra and features of one filtered channel. */
function analyzeFiltered(input: ChannelAnalysisInput, filtered: Float32Array | Float64Array): ChannelAnalysisOutput {
  const fs = input.sampleRateHz;
  const n = input.samples.length;
  const output = filtered instanceof Float32Array ? filtered : Float32Array.from(filtered);
  // One FFT per detrended, unwindowed segment gives both windows: periodic Hamming and Hann
  // are 3-tap kernels in frequency, X_w[k] = a X[k] - b (X[k-1] + X[k+1]) (a, b = 0.54, 0.23 and 0.5, 0.25).
  const plan = planSegments(n, { window: 'boxcar', nperseg: input.nperseg, noverlap: input.noverlap, detrend: 'constant' });
  const nfft = plan.nfft;
  const bins = Math.floor(nfft / 2) + 1;
  const sum = new Float64Array(bins);
  const { first, count } = selectBins(nfft, fs, { fmin: input.connectivityBand[0], fmax: input.connectivityBand[1], includeHigh: input.includeHigh ?? true });
  const bandRe = new Float64Array(plan.segmentCount * count);
  const bandIm = new Float64Array(plan.segmentCount * count);
  forEachSegmentSpectrum(filtered, plan, (s, re, im) => {
    for (let k = 0; k < bins; k++) {
      // Neighbours across DC and Nyquist are complex conjugates (real input).
      const lr = k === 0 ? re[1] : re[k - 1];
      const li = k === 0 ? -im[1] : im[k - 1];
      const rr = k === bins - 1 ? re[k - 1] : re[k + 1];
      const ri = k === bins - 1 ? -im[k - 1] : im[k + 1];
      const hr = 0.54 * re[k] - 0.23 * (lr + rr);
      const hi = 0.54 * im[k] - 0.23 * (li + ri);
      sum[k] += hr * hr + hi * hi;
      if (k >= first && k < first + count) {
        bandRe[s * count + k - first] = 0.5 * re[k] - 0.25 * (lr + rr);
        bandIm[s * count + k - first] = 0.5 * im[k] - 0.25 * (li + ri);
      }
    }
  });
  const hamming = planSegments(n, { window: 'hamming', nperseg: input.nperseg, noverlap: input.noverlap });
  const scale = spectrumScale(hamming, fs, 'density') / Math.max(1, plan.segmentCount);
  const psd = sum.map((v) => v * scale);
  doubleOneSided(psd, nfft);
  const frequencies = Float64Array.from({ length: bins }, (_, k) => (k * fs) / nfft);
  const h = hjorth(output);
  let exponent: number;
  try {
    exponent = aperiodicExponent(frequencies, psd, 2, Math.min(40, fs / 2 - 1)).exponent;
  } catch {
    exponent = NaN;
  }
  return {
    filtered: output,
    psd,
    frequencies,
    bandSpectra: { re: bandRe, im: bandIm, segmentCount: plan.segmentCount, binCount: count },
    features: {
      peak_alpha_frequency_hz: peakAlphaFrequency(frequencies, psd),
      spectral_entropy: spectralEntropy(frequencies, psd, 1, 45),
      aperiodic_exponent: exponent,
      line_length_per_second: n > 1 ? (lineLength(output) / n) * fs : 0,
      hjorth_activity: h.activity,
      hjorth_mobility: h.mobility,
      hjorth_complexity: h.complexity,
    },
  };
}

import { CajalError } from '@cajal/core';
import { nextPowerOfTwo, planComplexFft } from './fft.ts';
import { planRealFft } from './real-fft.ts';
import { dpss } from './dpss.ts';
import { doubleOneSided, forEachSegmentSpectrum, planSegments, spectrumScale } from './welch.ts';
import type { WelchOptions } from './welch.ts';
import type { Samples } from './filter.ts';

/**
 * Time-frequency and multitaper spectra: STFT spectrogram, Morlet wavelets
 * (mne.time_frequency.tfr_array_morlet conventions) and DPSS multitaper PSD
 * (mne.time_frequency.psd_array_multitaper conventions, adaptive weighting off).
 */

export interface Spectrogram {
  frequencies: Float64Array;
  /** Segment centres, seconds. */
  times: Float64Array;
  /** power[segment][bin], units^2/Hz (density) or units^2 (spectrum). */
  power: Float64Array[];
}

/**
 * STFT spectrogram (scipy.signal.spectrogram with mode 'psd', one-sided): one windowed,
 * detrended periodogram per segment. Defaults: Hann, 256 samples, 50 % overlap.
 *
 * @example
 *   const { times, frequencies, power } = spectrogram(samples, 256, { nperseg: 512 });
 */
export function spectrogram(x: Samples, fs: number, options: WelchOptions = {}): Spectrogram {
  const plan = planSegments(x.length, options);
  const bins = Math.floor(plan.nfft / 2) + 1;
  const scale = spectrumScale(plan, fs, options.scaling ?? 'density');
  const power: Float64Array[] = [];
  const times = new Float64Array(plan.segmentCount);
  forEachSegmentSpectrum(x, plan, (s, re, im) => {
    const row = new Float64Array(bins);
    for (let k = 0; k < bins; k++) row[k] = (re[k] * re[k] + im[k] * im[k]) * scale;
    doubleOneSided(row, plan.nfft);
    power.push(row);
    times[s] = (s * plan.step + plan.nperseg / 2) / fs;
  });
  return { frequencies: Float64Array.from({ length: bins }, (_, k) => (k * fs) / plan.nfft), times, power };
}

/** MNE's Morlet wavelet at `frequency` Hz: Gaussian of sigma_t = nCycles / (2 pi f), 5 sigma each side, unit-norm / sqrt(0.5). */
export function morletWavelet(sfreq: number, frequency: number, nCycles = 7, zeroMean = false): { re: Float64Array; im: Float64Array } {
  const sigma = nCycles / (2 * Math.PI * frequency);
  const half: number[] = [];
  for (let t = 0; t < 5 * sigma; t += 1 / sfreq) half.push(t);
  const times = [...half.slice(1).reverse().map((t) => -t), ...half];
  const re = new Float64Array(times.length);
  const im = new Float64Array(times.length);
  let meanRe = 0;
  if (zeroMean) meanRe = Math.exp(-2 * (Math.PI * frequency * sigma) ** 2);
  let norm = 0;
  times.forEach((t, i) => {
    const gaussian = Math.exp(-(t * t) / (2 * sigma * sigma));
    re[i] = (Math.cos(2 * Math.PI * frequency * t) - meanRe) * gaussian;
    im[i] = Math.sin(2 * Math.PI * frequency * t) * gaussian;
    norm += re[i] * re[i] + im[i] * im[i];
  });
  const scale = 1 / (Math.sqrt(0.5) * Math.sqrt(norm));
  for (let i = 0; i < re.length; i++) {
    re[i] *= scale;
    im[i] *= scale;
  }
  return { re, im };
}

/**
 * Morlet time-frequency power like mne.time_frequency.tfr_array_morlet(output='power') for one
 * channel of one epoch: FFT convolution with each wavelet, 'same'-centred. Returns
 * power[frequency][sample] in units^2. Default 7 cycles.
 *
 * @example
 *   const power = morletPower(samples, 256, [4, 6, 8, 10, 12], 7);
 */
export function morletPower(x: Samples, sfreq: number, frequencies: number[], nCycles: number | number[] = 7): Float64Array[] {
  const n = x.length;
  const wavelets = frequencies.map((f, i) => morletWavelet(sfreq, f, Array.isArray(nCycles) ? (nCycles[i] as number) : nCycles));
  const longest = Math.max(...wavelets.map((w) => w.re.length));
  if (longest > n) throw new CajalError('INVALID_ARGUMENT', `the ${frequencies[0]}-Hz wavelet (${longest} samples) is longer than the signal (${n})`, { field: 'frequencies' });
  const size = nextPowerOfTwo(n + longest - 1);
  const plan = planComplexFft(size);
  const xr = new Float64Array(size);
  const xi = new Float64Array(size);
  for (let t = 0; t < n; t++) xr[t] = x[t];
  plan.transform(xr, xi);
  return wavelets.map((w) => {
    const wr = new Float64Array(size);
    const wi = new Float64Array(size);
    wr.set(w.re);
    wi.set(w.im);
    plan.transform(wr, wi);
    for (let k = 0; k < size; k++) {
      const ar = wr[k], ai = wi[k];
      wr[k] = ar * xr[k] - ai * xi[k];
      wi[k] = ar * xi[k] + ai * xr[k];
    }
    plan.transform(wr, wi, true);
    const full = n + w.re.length - 1;
    const start = Math.floor((full - n) / 2);
    const power = new Float64Array(n);
    for (let t = 0; t < n; t++) power[t] = wr[start + t] ** 2 + wi[start + t] ** 2;
    return power;
  });
}

/**
 * Multitaper PSD like mne.time_frequency.psd_array_multitaper(x, sfreq, bandwidth,
 * adaptive=False, low_bias=True, normalization='full'): periodic DPSS tapers (SciPy's
 * sym=False: length n + 1, last sample dropped) with half-bandwidth NW = bandwidth * n /
 * (2 sfreq) (default NW = 4), floor(2 NW) computed and those with concentration > 0.9 kept,
 * weights sqrt(ratio), the signal demeaned, PSD = 2 sum_k w_k^2 |X_k|^2 / (sum_k w_k^2 sfreq)
 * with the DC (and, for even n, Nyquist) bin not doubled. Units^2/Hz.
 *
 * @example
 *   const { frequencies, power } = multitaperPsd(samples, 256, { bandwidth: 2 });
 */
export function multitaperPsd(x: Samples, sfreq: number, options: { bandwidth?: number; fmin?: number; fmax?: number } = {}): { frequencies: Float64Array; power: Float64Array; taperCount: number } {
  const n = x.length;
  const halfBandwidth = options.bandwidth !== undefined ? (options.bandwidth * n) / (2 * sfreq) : 4;
  const count = Math.max(1, Math.floor(2 * halfBandwidth));
  const periodic = dpss(n + 1, halfBandwidth, count);
  const tapers = periodic.tapers.map((t) => t.subarray(0, n));
  const ratios = periodic.ratios;
  const kept = tapers.map((t, k) => ({ t, r: ratios[k] as number })).filter((k) => k.r > 0.9);
  if (kept.length === 0) throw new CajalError('INVALID_ARGUMENT', 'no DPSS taper has concentration above 0.9; increase the bandwidth', { field: 'bandwidth' });
  const plan = planRealFft(n);
  const bins = Math.floor(n / 2) + 1;
  const re = new Float64Array(bins);
  const im = new Float64Array(bins);
  const buffer = new Float64Array(n);
  const sum = new Float64Array(bins);
  let weightSum = 0;
  let mean = 0;
  for (let t = 0; t < n; t++) mean += x[t];
  mean /= n;
  for (const { t: taper, r } of kept) {
    for (let t = 0; t < n; t++) buffer[t] = (x[t] - mean) * taper[t];
    plan.forward(buffer, re, im);
    for (let k = 0; k < bins; k++) sum[k] += r * (re[k] * re[k] + im[k] * im[k]);
    weightSum += r;
  }
  const fmin = options.fmin ?? 0;
  const fmax = options.fmax ?? Infinity;
  const frequencies: number[] = [];
  const power: number[] = [];
  for (let k = 0; k < bins; k++) {
    const f = (k * sfreq) / n;
    if (f < fmin || f > fmax) continue;
    frequencies.push(f);
    const oneSided = k === 0 || (n % 2 === 0 && k === bins - 1) ? 1 : 2;
    power.push((oneSided * sum[k]) / (weightSum * sfreq));
  }
  return { frequencies: Float64Array.from(frequencies), power: Float64Array.from(power), taperCount: kept.length };
}

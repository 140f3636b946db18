import { CajalError } from '@cajal/core';
import { getWindow } from './windows.ts';
import type { WindowSpec } from './windows.ts';

/**
 * FIR filter design, reproducing scipy.signal.firwin and MNE-Python's `create_filter`
 * defaults (firwin design, Hamming window, automatic transition bands and length, zero phase).
 */

function sinc(x: number): number {
  if (x === 0) return 1;
  const y = Math.PI * x;
  return Math.sin(y) / y;
}

/** Options of `firwin` (SciPy's names and defaults). */
export interface FirwinOptions {
  /** Window (symmetric). Default 'hamming'. */
  window?: WindowSpec;
  /** True: the band containing 0 Hz passes. Default true. */
  passZero?: boolean;
  /** Scale so the gain is exactly 1 at the centre of the first passband. Default true. */
  scale?: boolean;
  /** Sampling rate; cutoffs are in the same unit. Default 2 (cutoffs relative to Nyquist = 1). */
  fs?: number;
}

/**
 * scipy.signal.firwin: a windowed-sinc FIR filter with `numtaps` taps and the given cutoffs.
 *
 * @example
 *   const lowpass = firwin(67, 45, { fs: 200 }); // like firwin(67, 45, window='hamming', fs=200)
 */
export function firwin(numtaps: number, cutoff: number | number[], options: FirwinOptions = {}): Float64Array {
  const fs = options.fs ?? 2;
  const nyquist = fs / 2;
  const passZero = options.passZero ?? true;
  const cutoffs = (Array.isArray(cutoff) ? cutoff : [cutoff]).map((c) => c / nyquist);
  if (!Number.isInteger(numtaps) || numtaps < 1) {
    throw new CajalError('INVALID_ARGUMENT', `numtaps must be a positive integer, got ${numtaps}`, { field: 'numtaps' });
  }
  for (const c of cutoffs) {
    if (!(c > 0 && c < 1)) {
      throw new CajalError('INVALID_ARGUMENT', `cutoff ${c * nyquist} must lie strictly between 0 and Nyquist ${nyquist}`, { field: 'cutoff' });
    }
  }
  const passNyquist = (cutoffs.length % 2 === 1) !== passZero;
  if (passNyquist && numtaps % 2 === 0) {
    throw new CajalError('INVALID_ARGUMENT', `a filter passing Nyquist needs an odd number of taps, got ${numtaps}`, { field: 'numtaps' });
  }
  const edges = [...(passZero ? [0] : []), ...cutoffs, ...(passNyquist ? [1] : [])];
  const alpha = 0.5 * (numtaps - 1);
  const h = new Float64Array(numtaps);
  for (let b = 0; b + 1 < edges.length; b += 2) {
    const left = edges[b] as number;
    const right = edges[b + 1] as number;
    for (let n = 0; n < numtaps; n++) {
      const m = n - alpha;
      h[n] += right * sinc(right * m) - left * sinc(left * m);
    }
  }
  const window = getWindow(options.window ?? 'hamming', numtaps, true);
  for (let n = 0; n < numtaps; n++) h[n] *= window[n];
  if (options.scale ?? true) {
    const left = edges[0] as number;
    const right = edges[1] as number;
    const scaleFrequency = left === 0 ? 0 : right === 1 ? 1 : 0.5 * (left + right);
    let s = 0;
    for (let n = 0; n < numtaps; n++) s += h[n] * Math.cos(Math.PI * (n - alpha) * scaleFrequency);
    for (let n = 0; n < numtaps; n++) h[n] /= s;
  }
  return h;
}

/** MNE's window length factors (transition bandwidths per window, in cycles). */
const lengthFactors: Record<string, number> = { hann: 3.1, hamming: 3.3, blackman: 5.0 };

/** Options of `designFirFilter`; every default is MNE-Python's. */
export interface FirDesignOptions {
  /** Lower transition bandwidth in Hz. Default MNE's 'auto': min(max(0.25 * lFreq, 2), lFreq). */
  lTransBandwidth?: number;
  /** Upper transition bandwidth in Hz. Default 'auto': min(max(0.25 * hFreq, 2), sfreq/2 - hFreq). */
  hTransBandwidth?: number;
  /** Number of taps (odd). Default 'auto': ceil(3.3 / min(transition) * sfreq), made odd. */
  filterLength?: number;
  /** 'hamming' (default), 'hann' or 'blackman'. */
  window?: 'hamming' | 'hann' | 'blackman';
}

/** A designed FIR filter and what it was designed for. */
export interface FirFilter {
  coefficients: Float64Array;
  kind: 'lowpass' | 'highpass' | 'bandpass' | 'bandstop';
  /** Band edges (Hz) and gains given to the design: piecewise-linear gain specification. */
  frequencies: number[];
  gains: number[];
  lTransBandwidth?: number;
  hTransBandwidth?: number;
}

function autoLowTransition(lFreq: number): number {
  return Math.min(Math.max(lFreq * 0.25, 2), lFreq);
}

function autoHighTransition(hFreq: number, sfreq: number): number {
  return Math.min(Math.max(hFreq * 0.25, 2), sfreq / 2 - hFreq);
}

/**
 * MNE's `_firwin_design`: one windowed-sinc low-pass per transition band, each with its own
 * length round(3.3 / transition) (transition relative to Nyquist, halved), summed into `length` taps.
 */
export function firwinDesign(length: number, frequencies: number[], gains: number[], sfreq: number, window: 'hamming' | 'hann' | 'blackman' = 'hamming'): Float64Array {
  const nyquist = sfreq / 2;
  const freq = frequencies.map((f) => f / nyquist);
  const h = new Float64Array(length);
  let previousFrequency = freq[freq.length - 1] as number;
  let previousGain = gains[gains.length - 1] as number;
  if (previousGain === 1) h[length >> 1] = 1;
  for (let i = freq.length - 2; i >= 0; i--) {
    const thisFrequency = freq[i] as number;
    const thisGain = gains[i] as number;
    if (thisGain !== previousGain) {
      const transition = (previousFrequency - thisFrequency) / 2;
      let taps = pythonRound((lengthFactors[window] as number) / transition);
      taps += 1 - (taps % 2);
      if (taps > length) {
        throw new CajalError(
          'INVALID_ARGUMENT',
          `filter length ${length} is too short for the ${(transition * nyquist).toFixed(2)} Hz transition band, which needs ${taps} samples`,
          { field: 'filterLength' },
        );
      }
      const lowpass = firwin(taps, (previousFrequency + thisFrequency) / 2, { window, passZero: true, fs: 2 });
      const offset = (length - taps) >> 1;
      const sign = thisGain === 0 ? -1 : 1;
      for (let k = 0; k < taps; k++) h[offset + k] += sign * lowpass[k];
    }
    previousGain = thisGain;
    previousFrequency = thisFrequency;
  }
  return h;
}

/** Python's round(): halves go to the even neighbour. */
function pythonRound(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/**
 * Design an FIR filter exactly as `mne.filter.create_filter(x, sfreq, lFreq, hFreq)` does with
 * its defaults (firwin, Hamming, zero phase, automatic transition bands and length).
 * lFreq null: low-pass; hFreq null: high-pass; lFreq < hFreq: band-pass; lFreq > hFreq: band-stop
 * (pass below hFreq and above lFreq, MNE's convention).
 *
 * @example
 *   const filter = designFirFilter(200, 1, 40); // 661 taps, transitions 1 and 10 Hz
 */
export function designFirFilter(sfreq: number, lFreq: number | null, hFreq: number | null, options: FirDesignOptions = {}): FirFilter {
  const nyquist = sfreq / 2;
  const window = options.window ?? 'hamming';
  if (!(sfreq > 0)) throw new CajalError('INVALID_ARGUMENT', `sampling rate must be positive, got ${sfreq}`, { field: 'sfreq' });
  for (const [name, value] of [['lFreq', lFreq], ['hFreq', hFreq]] as const) {
    if (value !== null && !(value > 0 && value < nyquist)) {
      throw new CajalError('INVALID_ARGUMENT', `${name} ${value} Hz must lie strictly between 0 and Nyquist ${nyquist} Hz`, { field: name });
    }
  }
  let kind: FirFilter['kind'];
  let frequencies: number[];
  let gains: number[];
  let lTrans: number | undefined;
  let hTrans: number | undefined;
  if (lFreq === null && hFreq === null) {
    throw new CajalError('INVALID_ARGUMENT', 'give lFreq, hFreq or both', { field: 'lFreq' });
  } else if (lFreq === null && hFreq !== null) {
    kind = 'lowpass';
    hTrans = options.hTransBandwidth ?? autoHighTransition(hFreq, sfreq);
    const hStop = hFreq + hTrans;
    frequencies = [0, hFreq, hStop];
    gains = [1, 1, 0];
    if (hStop !== nyquist) {
      frequencies.push(nyquist);
      gains.push(0);
    }
  } else if (hFreq === null && lFreq !== null) {
    kind = 'highpass';
    lTrans = options.lTransBandwidth ?? autoLowTransition(lFreq);
    const lStop = lFreq - lTrans;
    frequencies = [lStop, lFreq, nyquist];
    gains = [0, 1, 1];
    if (lStop !== 0) {
      frequencies.unshift(0);
      gains.unshift(0);
    }
  } else if (lFreq !== null && hFreq !== null && lFreq < hFreq) {
    kind = 'bandpass';
    lTrans = options.lTransBandwidth ?? autoLowTransition(lFreq);
    hTrans = options.hTransBandwidth ?? autoHighTransition(hFreq, sfreq);
    const lStop = lFreq - lTrans;
    const hStop = hFreq + hTrans;
    frequencies = [lStop, lFreq, hFreq, hStop];
    gains = [0, 1, 1, 0];
    if (hStop !== nyquist) {
      frequencies.push(nyquist);
      gains.push(0);
    }
    if (lStop !== 0) {
      frequencies.unshift(0);
      gains.unshift(0);
    }
  } else {
    // Band-stop: MNE passes l_freq > h_freq; the stop band is (hFreq + hTrans, lFreq - lTrans).
    const upper = lFreq as number;
    const lower = hFreq as number;
    kind = 'bandstop';
    lTrans = options.lTransBandwidth ?? autoLowTransition(upper);
    hTrans = options.hTransBandwidth ?? autoHighTransition(lower, sfreq);
    frequencies = [0, lower, lower + hTrans, upper - lTrans, upper, nyquist];
    gains = [1, 1, 0, 0, 1, 1];
  }
  if (frequencies.some((f, i) => i > 0 && f < (frequencies[i - 1] as number)) || (frequencies[frequencies.length - 1] as number) > nyquist || (frequencies[0] as number) < 0) {
    throw new CajalError('INVALID_ARGUMENT', `transition bands do not fit: edges ${frequencies.join(', ')} Hz`, { field: 'transBandwidth' });
  }
  const length = options.filterLength ?? firLengthFor(sfreq, Math.min(lTrans ?? Infinity, hTrans ?? Infinity), window);
  const coefficients = firwinDesign(length, frequencies, gains, sfreq, window);
  return { coefficients, kind, frequencies, gains, ...(lTrans !== undefined ? { lTransBandwidth: lTrans } : {}), ...(hTrans !== undefined ? { hTransBandwidth: hTrans } : {}) };
}

/** MNE's automatic length: ceil(factor / transition * sfreq) taps, made odd. */
export function firLengthFor(sfreq: number, transitionHz: number, window: 'hamming' | 'hann' | 'blackman' = 'hamming'): number {
  const seconds = (lengthFactors[window] as number) / transitionHz;
  let length = Math.max(Math.ceil(seconds * sfreq), 1);
  length += (length - 1) % 2;
  return length;
}

/**
 * Design MNE's default notch (`mne.filter.notch_filter(x, sfreq, freqs)`): for each frequency
 * f a stop band of width f/200 with 1-Hz total transition (0.5 Hz per side), all in one
 * band-stop FIR filter.
 */
export function designNotchFilter(sfreq: number, freqs: number[], options: { notchWidths?: number[]; transBandwidth?: number; window?: 'hamming' | 'hann' | 'blackman' } = {}): FirFilter {
  const nyquist = sfreq / 2;
  const trans = options.transBandwidth ?? 1;
  const frequencies: number[] = [0];
  const gains: number[] = [1];
  const sorted = [...freqs].sort((a, b) => a - b);
  sorted.forEach((f, i) => {
    if (!(f > 0 && f < nyquist)) throw new CajalError('INVALID_ARGUMENT', `notch frequency ${f} Hz must lie between 0 and Nyquist ${nyquist} Hz`, { field: 'freqs' });
    const width = options.notchWidths?.[i] ?? f / 200;
    const low = f - width / 2 - trans / 2;
    const high = f + width / 2 + trans / 2;
    frequencies.push(low, low + trans / 2, high - trans / 2, high);
    gains.push(1, 0, 0, 1);
  });
  frequencies.push(nyquist);
  gains.push(1);
  const window = options.window ?? 'hamming';
  const length = firLengthFor(sfreq, trans / 2, window);
  return { coefficients: firwinDesign(length, frequencies, gains, sfreq, window), kind: 'bandstop', frequencies, gains, lTransBandwidth: trans / 2, hTransBandwidth: trans / 2 };
}

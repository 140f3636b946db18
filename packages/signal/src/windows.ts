import { CajalError } from '@cajal/core';

/**
 * Window functions with SciPy's conventions: `symmetric` windows (scipy.signal.get_window with
 * fftbins=False, used for filter design) and `periodic` ones (fftbins=True, used for spectra).
 *
 * @example
 *   const w = getWindow('hann', 512);            // periodic, like scipy.signal.get_window('hann', 512)
 *   const k = getWindow({ kaiser: 5 }, 41, true); // symmetric Kaiser, beta 5
 */
export type WindowName = 'hann' | 'hamming' | 'blackman' | 'boxcar';
export type WindowSpec = WindowName | { kaiser: number };

/** Modified Bessel function of the first kind, order 0 (series; accurate to ~1e-16 relative). */
export function besselI0(x: number): number {
  const q = (x * x) / 4;
  let term = 1;
  let sum = 1;
  for (let k = 1; k < 500; k++) {
    term *= q / (k * k);
    sum += term;
    if (term < sum * 1e-17) break;
  }
  return sum;
}

/**
 * A window of `length` samples. `symmetric` false (the default) gives SciPy's periodic window
 * (a symmetric window of length+1 with the last sample dropped).
 */
export function getWindow(spec: WindowSpec, length: number, symmetric = false): Float64Array {
  if (!Number.isInteger(length) || length < 1) {
    throw new CajalError('INVALID_ARGUMENT', `window length must be a positive integer, got ${length}`, { field: 'length' });
  }
  const w = new Float64Array(length);
  if (length === 1) {
    w[0] = 1;
    return w;
  }
  const m = symmetric ? length : length + 1;
  const denominator = m - 1;
  for (let n = 0; n < length; n++) {
    const phase = (2 * Math.PI * n) / denominator;
    if (spec === 'hann') w[n] = 0.5 - 0.5 * Math.cos(phase);
    else if (spec === 'hamming') w[n] = 0.54 - 0.46 * Math.cos(phase);
    else if (spec === 'blackman') w[n] = 0.42 - 0.5 * Math.cos(phase) + 0.08 * Math.cos(2 * phase);
    else if (spec === 'boxcar') w[n] = 1;
    else if (typeof spec === 'object' && typeof spec.kaiser === 'number') {
      const ratio = (2 * n) / denominator - 1;
      w[n] = besselI0(spec.kaiser * Math.sqrt(Math.max(0, 1 - ratio * ratio))) / besselI0(spec.kaiser);
    } else {
      throw new CajalError('INVALID_ARGUMENT', `unknown window ${JSON.stringify(spec)}`, { field: 'window' });
    }
  }
  return w;
}

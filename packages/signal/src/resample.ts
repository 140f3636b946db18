import { CajalError } from '@cajal/core';
import { firwin } from './fir.ts';
import type { WindowSpec } from './windows.ts';
import type { Samples } from './filter.ts';
import { detrendSegment } from './welch-segments.ts';

/**
 * Polyphase resampling (scipy.signal.resample_poly) and detrending (scipy.signal.detrend).
 */

function gcd(a: number, b: number): number {
  while (b) [a, b] = [b, a % b];
  return a;
}

/** The anti-aliasing filter resample_poly uses: firwin(2*10*max(up,down)+1, 1/max(up,down), window) * up. */
export function resamplePolyFilter(up: number, down: number, window: WindowSpec = { kaiser: 5 }): Float64Array {
  const maxRate = Math.max(up, down);
  const halfLength = 10 * maxRate;
  const h = firwin(2 * halfLength + 1, 1 / maxRate, { window });
  for (let k = 0; k < h.length; k++) h[k] *= up;
  return h;
}

/**
 * scipy.signal.resample_poly(x, up, down) with its defaults (Kaiser beta 5 window, zeros
 * outside the signal): upsample by `up`, low-pass, downsample by `down`. Output length
 * ceil(n * up / down).
 *
 * @example
 *   const y = resamplePoly(samples200Hz, 1, 2); // 100 Hz
 */
export function resamplePoly(x: Samples, up: number, down: number, options: { window?: WindowSpec } = {}): Float64Array {
  if (!Number.isInteger(up) || !Number.isInteger(down) || up < 1 || down < 1) {
    throw new CajalError('INVALID_ARGUMENT', `up and down must be positive integers, got ${up}/${down}`, { field: 'up' });
  }
  const g = gcd(up, down);
  up /= g;
  down /= g;
  if (up === 1 && down === 1) return Float64Array.from(x);
  const n = x.length;
  const outputLength = Math.ceil((n * up) / down);
  const h = resamplePolyFilter(up, down, options.window);
  const halfLength = (h.length - 1) / 2;
  const y = new Float64Array(outputLength);
  for (let m = 0; m < outputLength; m++) {
    // Index in the upsampled, filtered signal; taps k with (t - k) a multiple of up hit input samples.
    const t = m * down + halfLength;
    let kStart = t % up;
    // Input index j = (t - k) / up must lie in [0, n).
    const kMin = t - (n - 1) * up;
    if (kStart < kMin) kStart += Math.ceil((kMin - kStart) / up) * up;
    let sum = 0;
    for (let k = kStart; k < h.length && k <= t; k += up) sum += h[k] * x[(t - k) / up];
    y[m] = sum;
  }
  return y;
}

/**
 * scipy.signal.detrend: 'constant' removes the mean, 'linear' the least-squares line.
 *
 * @example
 *   const flat = detrend(samples, 'linear');
 */
export function detrend(x: Samples, type: 'constant' | 'linear' = 'linear'): Float64Array {
  const y = Float64Array.from(x);
  if (y.length > 0) detrendSegment(y, y.length, type);
  return y;
}

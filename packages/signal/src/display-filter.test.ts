import { describe, expect, it } from 'vitest';
import { createRandom } from '@cajal/core';
import { applyDisplayFilter, designDisplayFilter } from './display-filter.ts';
import { iirNotchSos, sosfiltfilt, sosGain } from './iir.ts';

const rate = 256;
function sine(frequencyHz: number, seconds: number, amplitude = 1): Float32Array {
  const out = new Float32Array(Math.round(seconds * rate));
  for (let i = 0; i < out.length; i++) out[i] = amplitude * Math.sin((2 * Math.PI * frequencyHz * i) / rate);
  return out;
}
function rms(x: ArrayLike<number>, from = 0, to = x.length): number {
  let s = 0;
  for (let i = from; i < to; i++) s += (x[i] as number) ** 2;
  return Math.sqrt(s / (to - from));
}

describe('display filter designs', () => {
  it('Butterworth low/high-pass are -3 dB (1/sqrt 2) at the cutoff and notch is ~0 at its centre', () => {
    expect(sosGain(designDisplayFilter({ lowPassHz: 35 }, rate), 35, rate)).toBeCloseTo(Math.SQRT1_2, 6);
    expect(sosGain(designDisplayFilter({ highPassHz: 1 }, rate), 1, rate)).toBeCloseTo(Math.SQRT1_2, 6);
    expect(sosGain(designDisplayFilter({ notchHz: 50 }, rate), 50, rate)).toBeLessThan(1e-9);
    expect(sosGain(designDisplayFilter({ notchHz: 50 }, rate), 10, rate)).toBeGreaterThan(0.999);
    // scipy.signal.iirnotch(50, 30, 256): -3 dB at 50 ± 50/60 Hz.
    expect(sosGain(iirNotchSos(50, 30, rate), 50 + 50 / 60, rate)).toBeCloseTo(Math.SQRT1_2, 2);
  });
});

describe('applyDisplayFilter (forward-backward)', () => {
  it('criterion: a 10 Hz sine passes 0.5-35 Hz + 50 Hz notch within 2% RMS, away from the edges', () => {
    const x = sine(10, 10, 50);
    const y = applyDisplayFilter(x, rate, { highPassHz: 0.5, lowPassHz: 35, notchHz: 50 });
    expect(rms(y, rate, 9 * rate) / rms(x, rate, 9 * rate)).toBeGreaterThan(0.98);
    expect(rms(y, rate, 9 * rate) / rms(x, rate, 9 * rate)).toBeLessThan(1.02);
  });

  it('criterion: the notch removes a 50 Hz line by more than 40 dB', () => {
    const y = applyDisplayFilter(sine(50, 10), rate, { notchHz: 50 });
    expect(20 * Math.log10(rms(y, rate, 9 * rate) / Math.SQRT1_2)).toBeLessThan(-40);
  });

  it('criterion: high-pass removes a 200 µV offset (residual < 1 µV in the middle) and low-pass cuts 100 Hz by > 20 dB', () => {
    const offset = new Float32Array(10 * rate).fill(200);
    expect(Math.abs(applyDisplayFilter(offset, rate, { highPassHz: 0.5 })[5 * rate] as number)).toBeLessThan(1);
    const y = applyDisplayFilter(sine(100, 10), rate, { lowPassHz: 35 });
    expect(20 * Math.log10(rms(y, rate, 9 * rate) / Math.SQRT1_2)).toBeLessThan(-20);
  });

  it('criterion: zero phase — a spike in noise stays at the same sample after low-pass', () => {
    const random = createRandom(7);
    const x = new Float32Array(4 * rate);
    for (let i = 0; i < x.length; i++) x[i] = random.normal() * 2;
    for (let i = -3; i <= 3; i++) x[500 + i] = (x[500 + i] as number) + 100 * Math.exp(-(i * i) / 2);
    const y = applyDisplayFilter(x, rate, { lowPassHz: 30 });
    let peak = 0;
    for (let i = 1; i < y.length; i++) if ((y[i] as number) > (y[peak] as number)) peak = i;
    expect(peak).toBe(500);
  });

  it('returns the input itself when every filter is off or beyond Nyquist', () => {
    const x = sine(5, 1);
    expect(applyDisplayFilter(x, rate, {})).toBe(x);
    expect(applyDisplayFilter(x, rate, { lowPassHz: 200 })).toBe(x);
  });

  it('is sosfiltfilt of the designed sections with 3 s of odd reflection, rounded to float32', () => {
    const x = sine(7, 6, 20);
    const settings = { highPassHz: 1, lowPassHz: 30, notchHz: 60 };
    const expected = Float32Array.from(sosfiltfilt(designDisplayFilter(settings, rate), x, { padlen: 3 * rate }));
    expect(Array.from(applyDisplayFilter(x, rate, settings))).toEqual(Array.from(expected));
  });
});

import { describe, expect, it } from 'vitest';
import { fastExp, sigmoidInPlace, tanhInto } from './fastmath.ts';
import { sigmoidValue } from './ops.ts';

function grid(): Float32Array {
  const xs: number[] = [0, -0, 1e-30, -1e-8, 0.0625, -0.0625, 0.06249, 88, -88, 150, -150, 1e6, -1e6];
  for (let i = -4000; i <= 4000; i++) xs.push(i / 97.3);
  for (let i = 0; i < 2000; i++) xs.push(Math.sin(i * 12.9898) * 30);
  return Float32Array.from(xs);
}

describe('fastmath', () => {
  it('fastExp follows Math.exp to 1e-12 relative on [-100, 100]', () => {
    for (let i = -2000; i <= 2000; i++) {
      const x = i / 20.1;
      expect(Math.abs(fastExp(x) / Math.exp(x) - 1)).toBeLessThan(1e-12);
    }
  });

  it('block sigmoid and tanh equal the Math versions to float32 rounding', () => {
    const xs = grid();
    const s = xs.slice();
    sigmoidInPlace(s, 0, s.length);
    const t = new Float32Array(xs.length + 3);
    tanhInto(xs, 0, t, 3, xs.length);
    for (let i = 0; i < xs.length; i++) {
      const x = xs[i] as number;
      const es = Math.fround(sigmoidValue(x));
      const et = Math.fround(Math.tanh(x));
      expect(Math.abs((s[i] as number) - es)).toBeLessThanOrEqual(Math.abs(es) * 1.2e-7 + 1e-30);
      expect(Math.abs((t[i + 3] as number) - et)).toBeLessThanOrEqual(Math.abs(et) * 1.2e-7);
    }
  });

  it('sigmoid works on a sub-range only and tanh in place', () => {
    const a = Float32Array.from([5, 0, -5, 7]);
    sigmoidInPlace(a, 1, 3);
    expect(a[0]).toBe(5);
    expect(a[1]).toBe(0.5);
    expect(a[3]).toBe(7);
    tanhInto(a, 0, a, 0, 1);
    expect(a[0]).toBeCloseTo(Math.tanh(5), 7);
  });
});

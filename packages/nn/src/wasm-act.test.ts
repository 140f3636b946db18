import { describe, expect, it } from 'vitest';
import { sigmoidValue } from './ops.ts';
import { createActivationKernel } from './wasm-act.ts';

describe('wasm SIMD sigmoid/tanh', () => {
  it('match the Math versions to 5e-7 relative on odd-length blocks, with saturation', () => {
    const act = createActivationKernel();
    expect(act).not.toBeNull();
    if (!act) return;
    const xs: number[] = [0, 1e-30, -1e-6, 0.01, 200, -200, 87.5, -87.5];
    for (let i = -20001; i <= 20001; i++) xs.push(i / 997);
    const x = Float32Array.from(xs); // odd length: the JavaScript tail runs too
    const s = x.slice();
    act.sigmoid(s, 0, s.length);
    const t = new Float32Array(x.length + 2);
    act.tanh(x, 0, t, 2, x.length);
    for (let i = 0; i < x.length; i++) {
      const v = x[i] as number;
      const es = Math.fround(sigmoidValue(v));
      const et = Math.fround(Math.tanh(v));
      if (es > 1e-30) expect(Math.abs((s[i] as number) - es)).toBeLessThanOrEqual(5e-7 * es);
      else expect(s[i] as number).toBeLessThan(1e-30);
      expect(Math.abs((t[i + 2] as number) - et)).toBeLessThanOrEqual(5e-7 * Math.abs(et));
    }
    expect(t[0]).toBe(0);
    expect(s[4]).toBe(1);
    expect(t[6]).toBe(1);
  });

  it('works on a sub-range in place and leaves the rest alone', () => {
    const act = createActivationKernel();
    if (!act) return;
    const a = Float32Array.from([9, 0, 0, 0, 0, 0, 9]);
    act.sigmoid(a, 1, 6);
    expect([...a]).toEqual([9, 0.5, 0.5, 0.5, 0.5, 0.5, 9]);
  });
});

import { describe, expect, it } from 'vitest';
import { lastPageIndex, minMaxColumns, pageIndexAt, pageSecondsForTimebase, pixelsPerMicrovolt, timebaseForPageSeconds } from './display.ts';

describe('display scales', () => {
  it('10 µV/mm at 96 dpi: 100 µV spans 10 mm = 37.8 px', () => {
    expect(100 * pixelsPerMicrovolt(10)).toBeCloseTo(37.795, 3);
  });
  it('30 mm/s across 1134 px (300 mm) shows 10 s, and back', () => {
    const width = 300 * (96 / 25.4);
    expect(pageSecondsForTimebase(30, width)).toBeCloseTo(10, 9);
    expect(timebaseForPageSeconds(10, width)).toBeCloseTo(30, 9);
  });
  it('page indices: 3600 s at 10 s pages ends at page 359; 3601 s at 360', () => {
    expect(lastPageIndex(3600, 10)).toBe(359);
    expect(lastPageIndex(3601, 10)).toBe(360);
    expect(pageIndexAt(25, 10)).toBe(2);
  });
});

describe('minMaxColumns', () => {
  it('keeps a one-sample spike visible when 1000 samples go into 10 columns', () => {
    const x = new Float32Array(1000);
    x[537] = 80;
    x[12] = -5;
    const env = minMaxColumns(x, 0, 1000, 10);
    expect(env[2 * 5 + 1]).toBe(80);
    expect(env[0]).toBe(-5);
    expect(env[2 * 3 + 1]).toBe(0);
  });
  it('with fewer samples than columns each column still holds a sample', () => {
    const env = minMaxColumns(new Float32Array([1, 2, 3]), 0, 3, 6);
    expect(Array.from(env).every((v) => Number.isFinite(v))).toBe(true);
  });
});

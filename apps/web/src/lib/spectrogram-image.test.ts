import { describe, expect, it } from 'vitest';
import { colourRamp, robustLimits, spectrogramImage } from './spectrogram-image.ts';

describe('spectrogramImage', () => {
  it('puts low frequencies at the bottom and the loudest cell at the bright end of the ramp', () => {
    const power = Array.from({ length: 100 }, (_, t) => [t === 42 ? 100 : 0, 0, 0]);
    const { rgba, width, height } = spectrogramImage(power);
    expect([width, height]).toEqual([100, 3]);
    const bottomRow = 2;
    const pixel = (x: number, y: number) => Array.from(rgba.slice((y * width + x) * 4, (y * width + x) * 4 + 3));
    expect(pixel(42, bottomRow)).toEqual(colourRamp(1));
    expect(pixel(42, 0)).toEqual(colourRamp(0));
  });

  it('robust limits ignore a single extreme outlier among 1000 values', () => {
    const rows = Array.from({ length: 1000 }, (_, i) => [i === 5 ? 1e6 : i % 10]);
    expect(robustLimits(rows)).toEqual([0, 9]);
  });
});

import { describe, expect, it } from 'vitest';
import { isCajalError } from '@cajal/core';
import { spectrumChart } from './spectrum.ts';

const frequencies = Float64Array.from({ length: 51 }, (_, k) => k);
// 1/f spectra: channel c has power 10^(c) / (1 + f).
const power = [0, 1, 2].map((c) => Float64Array.from(frequencies, (f) => 10 ** c / (1 + f)));
const labels = ['Fp1', 'Fp2', 'O1 & O2'];

const curves = (svg: string): string[] => [...svg.matchAll(/<path d="([^"]+)" fill="none"[^>]*><title>([^<]*)<\/title><\/path>/g)].map((m) => m[2] as string);
const legendNames = (svg: string): string[] => [...svg.matchAll(/<g class="legend-entry"[^>]*>.*?<text[^>]*>([^<]*)<\/text><\/g>/g)].map((m) => m[1] as string);

describe('spectrumChart', () => {
  it('draws one path per channel, and the legend lists every channel in order, escaped', () => {
    const svg = spectrumChart(labels, frequencies, power, { id: 'psd', unit: 'uV^2/Hz', range: [1, 45], bands: [{ name: 'alpha', low: 8, high: 13 }] });
    expect(curves(svg)).toEqual(['Fp1', 'Fp2', 'O1 &amp; O2']);
    expect(legendNames(svg)).toEqual(['Fp1', 'Fp2', 'O1 &amp; O2']);
    expect(svg).not.toContain('O1 & O2');
    expect(svg).toContain('>alpha</text>');
    expect(svg).toMatch(/<desc id="psd-desc">Power spectra of 3 channels from 1 to 45 Hz, power 1e-2 to 1e2 uV\^2\/Hz, log axis: Fp1, Fp2, O1 &amp; O2\.<\/desc>/);
  });

  it('maps the range to the plot edges and decades to equal steps', () => {
    // 1060 x 360, one legend column: plot from x 66 to 956 (890 px), y 12 to 316 (304 px); axis 1e-2..1e2.
    const svg = spectrumChart(['a'], [1, 9, 99], [[100, 1, 0.01]], { id: 'psd', range: [1, 99] });
    const d = /<path d="([^"]+)" fill="none"/.exec(svg)?.[1];
    expect(d).toBe(`M66.0,12.0L${(66 + (8 / 98) * 890).toFixed(1)},164.0L956.0,316.0`);
    expect(svg).toContain('>10⁻²</text>');
    expect(svg).toContain('>10²</text>');
  });

  it('leaves out bins with no power on the log axis; draws dB values on a linear axis', () => {
    const withZero = spectrumChart(['a'], [1, 2, 3], [[1, 0, 10]], { id: 'z' });
    expect((/<path d="([^"]+)" fill="none"/.exec(withZero)?.[1] ?? '').match(/L/g)).toHaveLength(1);
    const db = spectrumChart(['a', 'b'], [1, 2, 3], [[-20, -10, 0], [NaN, -15, -5]], { id: 'db', scale: 'decibel', unit: 'dB' });
    expect(curves(db)).toEqual(['a', 'b']);
    expect(db).toContain('power (dB)');
    expect(db).toMatch(/>-20<\/text>/);
    expect(db).toMatch(/>0<\/text>/);
    const second = [...db.matchAll(/<path d="([^"]+)" fill="none"/g)][1]?.[1] ?? '';
    expect(second.startsWith('M511.0,')).toBe(true);
  });

  it('refuses power rows that do not match the labels', () => {
    try {
      spectrumChart(['a', 'b'], [1], [[1]], { id: 'bad' });
      expect.unreachable();
    } catch (error) {
      expect(isCajalError(error, 'INVALID_ARGUMENT')).toBe(true);
    }
  });
});

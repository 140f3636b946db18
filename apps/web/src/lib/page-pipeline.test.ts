import { describe, expect, it } from 'vitest';
import { buildTraces, fetchSpan } from './page-pipeline.ts';
import { deriveMontage } from './montage.ts';
import type { SignalPage } from './signal-page.ts';

const rate = 100;
function page(): SignalPage {
  const n = 14 * rate;
  const fp1 = new Float32Array(n);
  const f7 = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    fp1[i] = 0.05 * Math.sin((2 * Math.PI * 10 * i) / rate);
    f7[i] = 0.02;
  }
  return { startSeconds: 98, durationSeconds: 14, channels: [{ label: 'EEG Fp1-REF', unit: 'mV', sampleRateHz: rate, samples: fp1 }, { label: 'EEG F7-REF', unit: 'mV', sampleRateHz: rate, samples: f7 }] };
}

describe('buildTraces', () => {
  it('crops the padded page to the window, converts mV to µV and applies the bipolar montage', () => {
    const p = page();
    const rows = deriveMontage('bipolar', p.channels);
    const [trace] = buildTraces(p, rows, {}, 100, 10);
    expect(trace!.label).toBe('Fp1-F7');
    expect(trace!.startSeconds).toBeCloseTo(100, 9);
    expect(trace!.samples.length).toBe(10 * rate);
    // Sample 0 of the window is page sample 200: 50 µV * sin(2π·10·2) - 20 µV = -20 µV.
    expect(trace!.samples[0]).toBeCloseTo(-20, 3);
  });

  it('high-pass removes the 20 µV offset inside the window, thanks to the padding', () => {
    const p = page();
    const [trace] = buildTraces(p, deriveMontage('bipolar', p.channels), { highPassHz: 1 }, 100, 10);
    let mean = 0;
    for (const v of trace!.samples) mean += v;
    expect(Math.abs(mean / trace!.samples.length)).toBeLessThan(1);
  });

  it('marks rows that use a bad channel', () => {
    const p = page();
    const traces = buildTraces(p, deriveMontage('recorded', p.channels), {}, 100, 10, new Set(['EEG F7-REF']));
    expect(traces.map((t) => t.bad)).toEqual([false, true]);
  });
});

describe('fetchSpan', () => {
  it('pads both sides and clips to the recording', () => {
    expect(fetchSpan(100, 10, 3600)).toEqual({ startSeconds: 98, durationSeconds: 14 });
    expect(fetchSpan(0, 10, 3600)).toEqual({ startSeconds: 0, durationSeconds: 12 });
    expect(fetchSpan(3590, 10, 3600)).toEqual({ startSeconds: 3588, durationSeconds: 12 });
  });
});

import { describe, expect, it } from 'vitest';
import type { SignalPage, SignalPageChannel } from '@cajal/formats';
import { applyDisplayFilter, deriveMontageRows } from '@cajal/signal';
import { buildTraces, fetchSpan, toMicrovolts } from './page-pipeline.ts';

const rate = 100;
function contiguous(label: string, unit: string, startSeconds: number, samples: Float32Array): SignalPageChannel {
  return { label, unit, sampleRateHz: rate, firstSampleSeconds: startSeconds, runs: [{ startSeconds, offset: 0, count: samples.length }], samples };
}
function page(): SignalPage {
  const n = 14 * rate;
  const fp1 = new Float32Array(n);
  const f7 = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    fp1[i] = 0.05 * Math.sin((2 * Math.PI * 10 * i) / rate);
    f7[i] = 0.02;
  }
  return { startSeconds: 98, durationSeconds: 14, segments: [{ onsetSeconds: 98, durationSeconds: 14 }], channels: [contiguous('EEG Fp1-REF', 'mV', 98, fp1), contiguous('EEG F7-REF', 'mV', 98, f7)] };
}

describe('buildTraces', () => {
  it('crops the padded page to the window, converts mV to µV and applies the bipolar montage', () => {
    const p = page();
    const rows = deriveMontageRows('double-banana', p.channels);
    const [trace] = buildTraces(p, rows, {}, 100, 10);
    expect(trace!.label).toBe('Fp1-F7');
    expect(trace!.pieces).toHaveLength(1);
    expect(trace!.pieces[0]!.startSeconds).toBeCloseTo(100, 9);
    expect(trace!.pieces[0]!.samples.length).toBe(10 * rate);
    // Sample 0 of the window is page sample 200: 50 µV * sin(2π·10·2) - 20 µV = -20 µV.
    expect(trace!.pieces[0]!.samples[0]).toBeCloseTo(-20, 3);
  });

  it('high-pass removes the 20 µV offset inside the window, thanks to the padding', () => {
    const p = page();
    const [trace] = buildTraces(p, deriveMontageRows('double-banana', p.channels), { highPassHz: 1 }, 100, 10);
    let mean = 0;
    for (const v of trace!.pieces[0]!.samples) mean += v;
    expect(Math.abs(mean / trace!.pieces[0]!.samples.length)).toBeLessThan(1);
  });

  it('marks rows that use a bad channel', () => {
    const p = page();
    const traces = buildTraces(p, deriveMontageRows('as-recorded', p.channels), {}, 100, 10, new Set(['EEG F7-REF']));
    expect(traces.map((t) => t.bad)).toEqual([false, true]);
  });

  it('scales V, mV, µV (any spelling) to µV with @cajal/core, and leaves other units as they are', () => {
    const one = new Float32Array([2]);
    expect(toMicrovolts({ unit: 'V', samples: one })[0]).toBe(2e6);
    expect(toMicrovolts({ unit: 'mV', samples: one })[0]).toBe(2000);
    expect(toMicrovolts({ unit: 'uV', samples: one })).toBe(one);
    expect(toMicrovolts({ unit: 'µV', samples: one })).toBe(one);
    expect(toMicrovolts({ unit: 'bpm', samples: one })).toBe(one);
  });

  it('places each run at its own time: a gap splits the trace, a late first sample starts late, each run filtered on its own', () => {
    const samples = Float32Array.from({ length: 6 * rate }, (_, i) => Math.sin(i / 3));
    const channel: SignalPageChannel = { label: 'Cz', unit: 'uV', sampleRateHz: rate, firstSampleSeconds: 0.39, runs: [{ startSeconds: 0.39, offset: 0, count: 3 * rate }, { startSeconds: 8, offset: 3 * rate, count: 3 * rate }], samples };
    const gapped: SignalPage = { startSeconds: 0, durationSeconds: 12, segments: [{ onsetSeconds: 0.39, durationSeconds: 3 }, { onsetSeconds: 8, durationSeconds: 3 }], channels: [channel] };
    const rows = deriveMontageRows('as-recorded', gapped.channels);
    const [trace] = buildTraces(gapped, rows, { lowPassHz: 20 }, 0, 10);
    expect(trace!.pieces.map((p) => [p.startSeconds, p.samples.length])).toEqual([[0.39, 300], [8, 200]]);
    const expectedFirst = applyDisplayFilter(samples.subarray(0, 300), rate, { lowPassHz: 20 });
    expect(Array.from(trace!.pieces[0]!.samples)).toEqual(Array.from(expectedFirst));
    const [overGap] = buildTraces(gapped, rows, {}, 4, 3);
    expect(overGap!.pieces).toEqual([]);
  });
});

describe('fetchSpan', () => {
  it('pads both sides and clips to the recording', () => {
    expect(fetchSpan(100, 10, 3600)).toEqual({ startSeconds: 98, durationSeconds: 14 });
    expect(fetchSpan(0, 10, 3600)).toEqual({ startSeconds: 0, durationSeconds: 12 });
    expect(fetchSpan(3590, 10, 3600)).toEqual({ startSeconds: 3588, durationSeconds: 12 });
  });
});

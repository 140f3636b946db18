import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeDemoEeg } from '@cajal/core';
import { describeShared, sharedPath } from '@cajal/core/testing';
import { writeEdf } from '@cajal/formats';
import { captureCli as capture } from '../test-support.ts';
import { parseAnalyzeOptions } from './analyze.ts';
import type { AnalyzeReport } from './analyze.ts';


const folder = mkdtempSync(join(tmpdir(), 'cajal-analyze-test-'));
const demoPath = join(folder, 'demo.edf');
afterAll(() => rmSync(folder, { recursive: true, force: true }));
beforeAll(() => {
  writeFileSync(demoPath, writeEdf(makeDemoEeg({ seed: 7, durationSeconds: 60 })).bytes);
});

const mean = (values: number[]): number => values.reduce((s, v) => s + v, 0) / values.length;
const at = (report: AnalyzeReport, label: string): number => {
  const index = report.channels.findIndex((c) => c.label === label);
  expect(index, `channel ${label}`).toBeGreaterThanOrEqual(0);
  return index;
};

describe('cajal analyze on the SIMULATED demo EEG (written as EDF+ with the formats writer)', () => {
  let report: AnalyzeReport;
  let html: string;

  beforeAll(async () => {
    const json = join(folder, 'demo.json');
    const htmlPath = join(folder, 'demo.html');
    const { code, stdout, stderr } = await capture(['analyze', demoPath, '--json', json, '--html', htmlPath, '--workers', '0']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(stdout).toContain(`wrote ${json}`);
    report = JSON.parse(readFileSync(json, 'utf8')) as AnalyzeReport;
    html = readFileSync(htmlPath, 'utf8');
  });

  it('analyses all 19 channels, 60 s at 256 Hz, with the stated defaults', () => {
    expect(report.channels).toHaveLength(19);
    expect(report.channels.every((c) => c.position !== null)).toBe(true);
    expect(report.channels_without_position).toEqual([]);
    expect(report.channels_skipped).toEqual([]);
    expect(report.sample_rate_hz).toBe(256);
    expect(report.duration_seconds).toBe(60);
    expect(report.simulated).toBe(true);
    expect(report.parameters.bandpass_hz).toEqual([1, 40]);
    expect(report.parameters.notch_hz).toEqual([50]);
    expect(report.parameters.welch.nperseg).toBe(512);
    expect(report.parameters.connectivity_methods).toEqual(['msc', 'wpli', 'plv']);
    expect(report.bands.map((b) => b.name)).toEqual(['delta', 'theta', 'alpha', 'beta']);
  });

  it('finds the posterior alpha: O1/O2 relative alpha > 3x frontal, peak alpha near 10 Hz', () => {
    const alpha = report.band_powers.relative['alpha'] as number[];
    const occipital = mean(['O1', 'O2'].map((l) => alpha[at(report, l)] as number));
    const frontal = mean(['Fp1', 'Fp2', 'F3', 'F4', 'Fz'].map((l) => alpha[at(report, l)] as number));
    expect(occipital).toBeGreaterThan(3 * frontal);
    expect(occipital).toBeGreaterThan(0.3);
    const paf = report.features[at(report, 'O1')]?.peak_alpha_frequency_hz as number;
    expect(paf).toBeGreaterThan(9);
    expect(paf).toBeLessThan(11);
  });

  it('numbers are sane: relative powers in [0, 1] summing to at most 1, PSD positive, matrices symmetric in range', () => {
    for (let i = 0; i < report.channels.length; i++) {
      const parts = report.bands.map((b) => report.band_powers.relative[b.name]?.[i] as number);
      for (const p of parts) expect(p).toBeGreaterThanOrEqual(0);
      expect(parts.reduce((s, p) => s + p, 0)).toBeLessThanOrEqual(1 + 1e-9);
      // delta..beta cover 1-30 Hz of the 1-45 Hz total, and the band-pass removes most of 30-45 Hz.
      expect(parts.reduce((s, p) => s + p, 0)).toBeGreaterThan(0.8);
      expect(report.band_powers.absolute['alpha']?.[i]).toBeGreaterThan(0);
      expect(report.psd.power[i]?.every((v) => v >= 0 && Number.isFinite(v))).toBe(true);
    }
    expect(report.psd.frequencies_hz).toHaveLength(257);
    for (const method of ['msc', 'wpli', 'plv'] as const) {
      const m = report.connectivity[method] as number[][];
      expect(m).toHaveLength(19);
      for (let i = 0; i < 19; i++) {
        for (let j = 0; j < 19; j++) {
          expect(m[i]?.[j]).toBeCloseTo(m[j]?.[i] as number, 12);
          if (i !== j) {
            expect(m[i]?.[j]).toBeGreaterThanOrEqual(0);
            expect(m[i]?.[j]).toBeLessThanOrEqual(1);
          }
        }
      }
      expect(report.graph[method]?.strength).toHaveLength(19);
    }
    // Neighbouring occipital electrodes share the simulated alpha: O1-O2 coherence beats Fp1-O2.
    const msc = report.connectivity.msc as number[][];
    expect(msc[at(report, 'O1')]?.[at(report, 'O2')]).toBeGreaterThan(msc[at(report, 'Fp1')]?.[at(report, 'O2')] as number);
    expect(report.preview.samples).toHaveLength(19);
    expect(report.preview.samples[0]).toHaveLength(10 * 256);
  });

  it('writes a self-contained HTML report with every chart and the SIMULATED label', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/<script|<link|src=|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    for (const chart of ['traces', 'psd', 'headmap-delta', 'headmap-theta', 'headmap-alpha', 'headmap-beta', 'connectivity-msc', 'graph-msc', 'connectivity-wpli', 'graph-wpli', 'connectivity-plv', 'graph-plv']) {
      expect(html).toContain(`data-chart="${chart}"`);
    }
    expect(html).toContain('SIMULATED');
  });

  it('custom bands, 60 Hz notch and an average reference; JSON to stdout with "-"', async () => {
    const { code, stdout } = await capture(['analyze', demoPath, '--bands', 'slow:1-7,alpha:8-12,fast:13-35', '--line-freq', '60', '--montage', 'average', '--json', '-', '--workers', '0']);
    expect(code).toBe(0);
    const custom = JSON.parse(stdout) as AnalyzeReport;
    expect(custom.bands.map((b) => b.name)).toEqual(['slow', 'alpha', 'fast']);
    expect(custom.parameters.notch_hz).toEqual([60]);
    expect(custom.line_frequency_hz).toBe(60);
    expect(custom.montage).toBe('average');
    const alpha = custom.band_powers.relative['alpha'] as number[];
    expect(alpha[at(custom, 'O1')]).toBeGreaterThan(2 * (alpha[at(custom, 'Fz')] as number));
  });

  it('prints a summary table without --json/--html', async () => {
    const { code, stdout } = await capture(['analyze', demoPath, '--workers', '0']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/19 channels, 60 s at 256 Hz/);
    expect(stdout).toMatch(/^\s+O1\s/m);
  });
});

describe('cajal analyze refuses bad input with one line and a non-zero exit', () => {
  it.each([
    ['a missing file', ['analyze', join(folder, 'missing.edf')], /missing\.edf/],
    ['a file that is no recording', ['analyze', join(folder, 'junk.edf')], /junk\.edf|EDF|header|format/i],
    ['an unknown montage', ['analyze', demoPath, '--montage', 'sideways'], /unknown montage "sideways"/],
    ['a malformed band spec', ['analyze', demoPath, '--bands', 'alpha=8-13'], /band "alpha=8-13" is not NAME:LOW-HIGH/],
    ['a band with low >= high', ['analyze', demoPath, '--bands', 'alpha:13-8'], /needs 0 <= low < high/],
    ['a line frequency other than 50/60', ['analyze', demoPath, '--line-freq', '55'], /--line-freq must be 50, 60 or none/],
    ['an unknown channel', ['analyze', demoPath, '--channels', 'Fp1,XYZ'], /no channel "XYZ"/],
  ])('%s', async (_what, argv, message) => {
    writeFileSync(join(folder, 'junk.edf'), 'this is not an EDF file at all');
    const { code, stdout, stderr } = await capture(argv as string[]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toMatch(/^cajal: /);
    expect(stderr).toMatch(message as RegExp);
  });

  it('Ctrl-C (SIGINT) cancels a running analysis: exit 130, "cajal: cancelled", nothing written', async () => {
    const json = join(folder, 'cancelled.json');
    // SIGINT is emitted (not sent) every few ms until the command's handler, installed when work starts, sees it.
    const timer = setInterval(() => process.emit('SIGINT'), 2);
    try {
      const { code, stderr } = await capture(['analyze', demoPath, '--json', json, '--workers', '0']);
      expect(code).toBe(130);
      expect(stderr).toBe('cajal: cancelled\n');
    } finally {
      clearInterval(timer);
    }
    expect(() => readFileSync(json)).toThrow();
  });

  it('a missing argument is a usage error (exit 2)', async () => {
    expect((await capture(['analyze'])).code).toBe(2);
  });

  it('options are checked before any file is read', () => {
    expect(() => parseAnalyzeOptions({ bands: 'alpha:8-13,alpha:9-12' })).toThrow(/given twice/);
    expect(parseAnalyzeOptions({ lineFreq: 'none' }).lineFrequency).toBeNull();
    expect(parseAnalyzeOptions({ montage: 'bipolar' }).montage).toBe('double-banana');
  });
});

describeShared('cajal analyze on a real scalp EEG (NIH, eegio-seizure/scalp_test.edf, 42 signals, 200 Hz, 236 s)', ['data/eegio-seizure/scalp_test.edf'], () => {
  const file = sharedPath('data', 'eegio-seizure', 'scalp_test.edf');

  it('default: the 27 channels with 10-20 / 10-10 positions (incl. the inferior ring F9/T9/P9, F10/T10/P10 and A1/A2); the other 15 are listed as not analysed', async () => {
    const { code, stdout } = await capture(['analyze', file, '--line-freq', '60', '--json', '-', '--workers', '0']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as AnalyzeReport;
    expect(report.format).toBe('edf+c');
    expect(report.sample_rate_hz).toBe(200);
    expect(report.duration_seconds).toBeCloseTo(236, 6);
    expect(report.channels).toHaveLength(27);
    expect(report.channels_skipped).toHaveLength(15);
    expect(report.channels_without_position).toEqual([]);
    expect(report.channels_skipped.map((s) => s.label)).toContain('POL DC01');
    expect(report.channels_skipped.map((s) => s.label)).toContain('POL ECG1');
    expect(report.channels.length + report.channels_skipped.length).toBe(42);
    // Real scalp EEG: most power below 8 Hz, alpha and beta well under half, every number finite.
    for (let i = 0; i < report.channels.length; i++) {
      const delta = report.band_powers.relative['delta']?.[i] as number;
      const alpha = report.band_powers.relative['alpha']?.[i] as number;
      expect(delta).toBeGreaterThan(alpha);
      expect(alpha).toBeGreaterThan(0);
      expect(alpha).toBeLessThan(0.5);
      expect(report.band_powers.absolute['alpha']?.[i]).toBeGreaterThan(0);
      expect(Number.isFinite(report.features[i]?.aperiodic_exponent)).toBe(true);
    }
    expect(report.parameters.notch_hz).toEqual([60]);
    expect(report.graph.msc?.characteristic_path_length).toBeGreaterThan(0);
  });

  it('--channels all keeps every EEG-typed channel; those without a position are named', async () => {
    const { code, stdout } = await capture(['analyze', file, '--channels', 'all', '--json', '-', '--workers', '0']);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as AnalyzeReport;
    expect(report.channels.length).toBeGreaterThan(30);
    expect(report.channels_without_position).toContain('POL DC01');
    expect(report.channels_without_position).not.toContain('EEG O1-Ref');
  });
});

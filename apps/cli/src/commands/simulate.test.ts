import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import { poissonLif } from '@cajal/sim';
import { captureCli as capture, temporaryFolder } from '../test-support.ts';
import type { SimulateReport } from './simulate.ts';

const folder = temporaryFolder('cajal-simulate-test-');

describe('cajal simulate', () => {
  it('runs an example, prints statistics and writes JSON and an HTML report with raster, rate, traces, table and PSD', async () => {
    const json = join(folder, 'lif.json');
    const html = join(folder, 'lif.html');
    const { code, stdout } = await capture(['simulate', 'lif-poisson', '--duration', '0.3', '--seed', '2', '--json', json, '--html', html]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/lif-poisson: 250 neurons, 5000 synapses, 0.3 s/);
    const report = JSON.parse(readFileSync(json, 'utf8')) as SimulateReport;
    expect(report.seed).toBe(2);
    expect(report.statistics[0]?.total_spikes).toBeGreaterThan(0);
    expect(report.statistics[0]?.mean_rate_hz).toBeCloseTo((report.statistics[0]?.total_spikes ?? 0) / (50 * 0.3), 6);
    expect(report.population_rate.rate_hz).toHaveLength(300);
    expect(report.rate_psd.frequencies_hz.length).toBeGreaterThan(10);
    expect(report.spikes?.neuron.length).toBe(report.statistics[0]?.total_spikes);
    const page = readFileSync(html, 'utf8');
    for (const chart of ['raster', 'population-rate', 'state-voltage', 'rate-psd']) expect(page).toContain(`data-chart="${chart}"`);
    const rasterSvg = /data-chart="raster"[^]*?<\/svg>/.exec(page)?.[0] ?? '';
    expect((rasterSvg.match(/h1/g) ?? []).length).toBeGreaterThan(10);
    expect(page).toContain('ISI CV');
  }, 60_000);

  it('runs a network description from a JSON file, and the same seed gives the same spikes on the js and wasm backends', async () => {
    const model = join(folder, 'net.json');
    writeFileSync(model, JSON.stringify(poissonLif({ size: 10, inputs: 50, inDegree: 40 })));
    const a = join(folder, 'a.json');
    const b = join(folder, 'b.json');
    expect((await capture(['simulate', model, '--duration', '0.2', '--json', a, '--backend', 'js'])).code).toBe(0);
    expect((await capture(['simulate', model, '--duration', '0.2', '--json', b, '--backend', 'wasm'])).code).toBe(0);
    const ra = JSON.parse(readFileSync(a, 'utf8')) as SimulateReport;
    const rb = JSON.parse(readFileSync(b, 'utf8')) as SimulateReport;
    expect(ra.spikes).toEqual(rb.spikes);
    expect(ra.neurons).toBe(60);
    expect(ra.precision).toBe('double');
  }, 60_000);

  it('--precision single runs in float32 on every backend, with the same spikes on js and wasm', async () => {
    const reports = [];
    for (const backend of ['js', 'wasm']) {
      const out = join(folder, `single-${backend}.json`);
      const { code, stdout } = await capture(['simulate', 'lif-poisson', '--duration', '0.3', '--seed', '2', '--json', out, '--backend', backend, '--precision', 'single']);
      expect(code).toBe(0);
      expect(stdout).toContain(`(${backend}, single)`);
      reports.push(JSON.parse(readFileSync(out, 'utf8')) as SimulateReport);
    }
    expect(reports[0]?.precision).toBe('single');
    expect(reports[0]?.statistics[0]?.total_spikes).toBeGreaterThan(0);
    expect(reports[0]?.spikes).toEqual(reports[1]?.spikes);
  }, 60_000);

  it('--size scales COBA and --threads 2 splits it between two threads with the same spikes as one', async () => {
    const reports = [];
    for (const threads of ['1', '2']) {
      const out = join(folder, `threads-${threads}.json`);
      const { code, stdout } = await capture(['simulate', 'coba', '--size', '16000', '--seed', '5', '--duration', '0.05', '--json', out, '--threads', threads]);
      expect(code).toBe(0);
      if (threads === '2') expect(stdout).toContain('(wasm, double, 2 threads)');
      reports.push(JSON.parse(readFileSync(out, 'utf8')) as SimulateReport);
    }
    expect(reports[1]?.threads).toBe(2);
    expect(reports[0]?.neurons).toBe(16000);
    expect(reports[0]?.statistics[0]?.total_spikes).toBeGreaterThan(1000);
    expect(reports[1]?.spikes).toEqual(reports[0]?.spikes);
  }, 60_000);

  it('rejects unknown models, bad files and bad options with exit code 1 and one line naming the problem', async () => {
    const bad = join(folder, 'bad.json');
    writeFileSync(bad, '{"groups": 3}');
    for (const argv of [['simulate', 'nope'], ['simulate', bad], ['simulate', 'coba', '--duration', '-1'], ['simulate', join(folder, 'missing.json')], ['simulate', 'coba', '--precision', 'half'], ['simulate', 'coba', '--threads', '0'], ['simulate', 'izhikevich2003', '--size', '100'], ['simulate', 'coba', '--size', '1.5']]) {
      const { code, stderr } = await capture(argv);
      expect(code).toBe(1);
      expect(stderr.trim().split('\n')).toHaveLength(1);
    }
  });

  it('Ctrl-C cancels a long run (exit code 130)', async () => {
    const once = vi.spyOn(process, 'once');
    const { code, stderr } = await capture(['simulate', 'coba', '--duration', '60'], () => {
      setTimeout(() => {
        const call = once.mock.calls.find(([event]) => event === 'SIGINT');
        (call?.[1] as (() => void) | undefined)?.();
      }, 300);
    });
    once.mockRestore();
    expect(code).toBe(130);
    expect(stderr).toContain('cancelled');
  }, 60_000);

  it('runs the distal-reward experiment for a short time', async () => {
    const json = join(folder, 'dr.json');
    const { code, stdout } = await capture(['simulate', 'distal-reward', '--duration', '1', '--json', json]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/distal-reward: 1 s/);
    expect(JSON.parse(readFileSync(json, 'utf8')).rewarded_weight_by_second).toHaveLength(1);
  }, 60_000);
});

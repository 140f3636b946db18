import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { SweepTable } from '@cajal/sim';
import { captureCli as capture, temporaryFolder } from '../test-support.ts';

const folder = temporaryFolder('cajal-sweep-test-');

describe('cajal sweep', () => {
  it('criterion: a 3 x 2 grid gives 6 rows in order, the rate rising with the input rate; JSON and CSV agree', async () => {
    const json = join(folder, 'grid.json');
    const csv = join(folder, 'grid.csv');
    const { code, stdout } = await capture(['sweep', 'lif-poisson', '--param', 'Input.rate=5:25:3', '--param', 'we=0.5:0.8:2', '--duration', '0.2', '--workers', '2', '--json', json, '--csv', csv]);
    expect(code).toBe(0);
    const table = JSON.parse(readFileSync(json, 'utf8')) as SweepTable;
    expect(table.rows).toHaveLength(6);
    expect(table.rows.map((r) => r['Input.rate'])).toEqual([5, 5, 15, 15, 25, 25]);
    const low = table.rows.filter((r) => r.we === 0.5).map((r) => r.mean_rate_hz);
    expect(low[0]).toBeLessThan(low[1] as number);
    expect(low[1]).toBeLessThan(low[2] as number);
    expect(readFileSync(csv, 'utf8').trim().split('\n')).toHaveLength(7);
    expect(stdout.split('\n')[0]).toMatch(/Input\.rate\s+we\s+seed\s+mean_rate_hz/);
  }, 60_000);

  it('--random N draws N points within the ranges (in-process with --workers 1)', async () => {
    const json = join(folder, 'random.json');
    const { code } = await capture(['sweep', 'lif-poisson', '--param', 'Input.rate=5:25:3', '--random', '3', '--duration', '0.1', '--workers', '1', '--json', json]);
    expect(code).toBe(0);
    const table = JSON.parse(readFileSync(json, 'utf8')) as SweepTable;
    expect(table.rows).toHaveLength(3);
    for (const r of table.rows) expect(r['Input.rate']).toBeGreaterThanOrEqual(5);
  }, 60_000);

  it('rejects a missing or malformed --param and unknown parameter names (exit 1)', async () => {
    expect((await capture(['sweep', 'lif-poisson'])).code).toBe(1);
    expect((await capture(['sweep', 'lif-poisson', '--param', 'we=a:b:c'])).code).toBe(1);
    const { code, stderr } = await capture(['sweep', 'lif-poisson', '--param', 'nonsense=1:2:2', '--workers', '1', '--duration', '0.05']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/nonsense/);
  }, 60_000);
});

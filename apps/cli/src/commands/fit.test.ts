import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeShared, sharedPath } from '@cajal/core/testing';
import { formatHbayesdm, simulateRescorlaWagner } from '@cajal/learn';
import { captureCli as capture, temporaryFolder } from '../test-support.ts';
import type { FitReport } from './fit.ts';

const folder = temporaryFolder('cajal-fit-test-');

describe('cajal fit', () => {
  // Four simulated Rescorla-Wagner participants (alpha 0.3, beta 6, 300 trials) in hBayesDM columns.
  const data = join(folder, 'bandit.txt');
  writeFileSync(data, formatHbayesdm([1, 2, 3, 4].map((s) => ({ ...simulateRescorlaWagner(0.3, 6, 300, s), subject_id: `s${s}` }))));

  it('--list names the models', async () => {
    const { code, stdout } = await capture(['fit', '--list']);
    expect(code).toBe(0);
    expect(stdout).toContain('rw-perseveration');
    expect(stdout).toContain('two-step-hybrid');
  });

  it('fits two models, prints parameters and the comparison, and writes JSON (criterion: the generating model wins by BIC and CV; median alpha within 0.1 of 0.3)', async () => {
    const json = join(folder, 'fit.json');
    const { code, stdout } = await capture(['fit', 'rw,fictitious', data, '--folds', '3', '--starts', '2', '--json', json, '--quiet']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/4 subjects, 1200 trials/);
    expect(stdout).toMatch(/winner by BIC: rw\n/);
    expect(stdout).toMatch(/winner by cross-validated LL: rw\n/);
    const report = JSON.parse(readFileSync(json, 'utf8')) as FitReport;
    expect(report.fits['rw']).toHaveLength(4);
    expect(Math.abs((report.models[0]?.parameters['alpha']?.median as number) - 0.3)).toBeLessThan(0.1);
    expect(report.comparison.models[0]?.cross_validated_log_likelihood).toBeLessThan(0);
  });

  it('refuses a two-step model on bandit data, unknown models and missing files with exit 1', async () => {
    expect((await capture(['fit', 'two-step-hybrid', data, '--folds', '0'])).stderr).toMatch(/does not fit bandit data/);
    expect((await capture(['fit', 'nope', data])).stderr).toMatch(/no model "nope"/);
    expect((await capture(['fit', 'rw', join(folder, 'missing.txt')])).code).toBe(1);
  });
});

describeShared('cajal fit on real data', ['data/hbayesdm-extdata/prl_exampleData.txt'], () => {
  it('hBayesDM reversal-learning example (20 subjects): the fictitious-update model beats plain Rescorla-Wagner by summed BIC (measured 2370.9 vs 2421.9 with 5 starts)', async () => {
    const { code, stdout } = await capture(['fit', 'rw,fictitious', sharedPath('data/hbayesdm-extdata/prl_exampleData.txt'), '--folds', '0', '--starts', '2', '--quiet']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/20 subjects, 2000 trials/);
    expect(stdout).toMatch(/winner by BIC: fictitious\n/);
  });
});

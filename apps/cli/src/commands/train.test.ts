import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { taskNames as environmentNames } from '@cajal/compare';
import { agentNames } from '@cajal/learn';
import { captureCli as capture, temporaryFolder } from '../test-support.ts';

const folder = temporaryFolder('cajal-train-test-');

describe('cajal train', () => {
  it('--list names every agent and environment', async () => {
    const { code, stdout } = await capture(['train', '--list']);
    expect(code).toBe(0);
    for (const name of [...agentNames, ...environmentNames]) expect(stdout).toContain(name);
  });

  it('trains TD on conditioning and writes JSON and an HTML report with learning-curve and prediction-error charts', async () => {
    const json = join(folder, 'td.json');
    const html = join(folder, 'td.html');
    const { code, stdout } = await capture(['train', 'td-lambda', '--env', 'conditioning', '--episodes', '200', '--seed', '1', '--json', json, '--html', html, '--quiet']);
    expect(code).toBe(0);
    expect(stdout).toMatch(/td-lambda on conditioning: 200 episodes/);
    const result = JSON.parse(readFileSync(json, 'utf8')) as { curves: Record<string, number[]>; summary: Record<string, number>; recording: { channels: Array<{ label: string; sample_count: number }> } };
    expect(result.curves['cue_rpe']).toHaveLength(200);
    // Criterion: the dopamine-like transfer shows in the CLI's output too.
    expect(result.summary['final_cue_rpe']).toBeGreaterThan(0.7);
    expect(result.summary['omitted_reward_rpe']).toBeLessThan(-0.5);
    expect(result.recording.channels.map((c) => c.label)).toContain('rpe');
    const page = readFileSync(html, 'utf8');
    for (const chart of ['learning-curve', 'rpe-snapshots', 'rpe-recording']) expect(page).toMatch(new RegExp(`data-chart="${chart}"[^>]*>.*<path d="M`));
  });

  it('writes per-curve charts for a control agent', async () => {
    const html = join(folder, 'q.html');
    expect((await capture(['train', 'q-learning', '--env', 'gridworld', '--episodes', '40', '--html', html, '--quiet'])).code).toBe(0);
    expect(readFileSync(html, 'utf8')).toContain('data-chart="learning-curve-1"');
  });

  it('refuses unknown agents, incompatible pairs and bad numbers with exit 1', async () => {
    expect((await capture(['train', 'nope', '--env', 'bandit'])).stderr).toMatch(/no agent "nope".*NOT_FOUND/);
    expect((await capture(['train', 'td', '--env', 'bandit'])).code).toBe(1);
    expect((await capture(['train', 'td', '--env', 'conditioning', '--episodes', '0'])).code).toBe(1);
    expect((await capture(['train', 'td'])).stderr).toMatch(/--env is required/);
  });
});

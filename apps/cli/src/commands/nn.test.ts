import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import * as nnNode from '@cajal/nn/node';
import * as nn from '@cajal/nn';
import { captureCli as capture, temporaryFolder } from '../test-support.ts';
import { renderTrainingReport } from './nn.ts';


const folder = temporaryFolder('cajal-nn-cli-');

const TINY = {
  name: 'tiny spirals',
  model: { input_shape: [2], seed: 1, layers: [{ type: 'dense', units: 16 }, { type: 'relu' }, { type: 'dense', units: 2 }] },
  dataset: { kind: 'spirals', points: 40, classes: 2, noise: 0.05 },
  training: { optimizer: 'adam', learning_rate: 0.02, epochs: 8, batch_size: 16, seed: 1 },
};

describe('cajal nn train', () => {
  it('trains a tiny config; writes JSON history, final HTML report (no refresh), weights and ONNX', async () => {
    const config = join(folder, 'tiny.json');
    writeFileSync(config, JSON.stringify(TINY));
    const files = { json: join(folder, 'out.json'), html: join(folder, 'out.html'), weights: join(folder, 'net'), onnx: join(folder, 'net.onnx') };
    const { code, stdout, stderr } = await capture(['nn', 'train', config, '--json', files.json, '--html', files.html, '--weights', files.weights, '--onnx', files.onnx]);
    expect(stderr).toContain('epoch 8/8');
    expect(code).toBe(0);
    expect(stdout).toMatch(/tiny spirals: 8 epochs .* validation accuracy/);
    const summary = JSON.parse(readFileSync(files.json, 'utf8')) as { history: nn.EpochRecord[]; final: { loss: number }; parameter_count: number };
    expect(summary.history).toHaveLength(8);
    expect(summary.parameter_count).toBe(2 * 16 + 16 + 16 * 2 + 2);
    // Criterion: the loss falls (last epoch below the first).
    expect((summary.history[7] as nn.EpochRecord).train_loss).toBeLessThan((summary.history[0] as nn.EpochRecord).train_loss);
    const html = readFileSync(files.html, 'utf8');
    expect(html).not.toContain('http-equiv="refresh"');
    expect(html).toContain('data-chart="loss"');
    expect(html).toContain('data-chart="accuracy"');
    expect(html).toMatch(/<path d="M[^"]+L/);
    const { model } = await nnNode.loadModelFiles(`${files.weights}.json`);
    expect(model.parameterCount()).toBe(summary.parameter_count);
    expect(existsSync(files.onnx)).toBe(true);
  });

  it('the live report carries a meta refresh while running', () => {
    const html = renderTrainingReport(
      { name: 'x', configPath: 'x.json', config: nn.parseTrainConfig(TINY), description: {}, parameters: 10, status: 'running', history: [{ epoch: 1, train_loss: 0.7, learning_rate: 0.01, seconds: 0.1 }, { epoch: 2, train_loss: 0.5, learning_rate: 0.01, seconds: 0.1 }] },
      3,
    );
    expect(html).toContain('<meta http-equiv="refresh" content="3">');
    expect(html).toContain('data-chart="loss"');
  });

  it('rejects bad configs with one line naming the field', async () => {
    const bad = join(folder, 'bad.json');
    writeFileSync(bad, JSON.stringify({ ...TINY, dataset: { kind: 'mnist' } }));
    const result = await capture(['nn', 'train', bad]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('dataset.kind');
    const missing = await capture(['nn', 'train', join(folder, 'none.json')]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain('NOT_FOUND');
  });

  it('Ctrl-C (abort) stops with exit 130 and finalises the report as cancelled', async () => {
    const config = join(folder, 'long.json');
    writeFileSync(config, JSON.stringify({ ...TINY, training: { ...TINY.training, epochs: 100000 } }));
    const html = join(folder, 'cancel.html');
    const baseline = process.listenerCount('SIGINT');
    const timer = setInterval(() => {
      // Press Ctrl-C once the command's handler is installed and an epoch has been drawn.
      if (process.listenerCount('SIGINT') > baseline && existsSync(html) && readFileSync(html, 'utf8').includes('data-chart="loss"')) {
        clearInterval(timer);
        process.emit('SIGINT');
      }
    }, 20);
    const { code } = await capture(['nn', 'train', config, '--html', html]);
    expect(code).toBe(130);
    expect(readFileSync(html, 'utf8')).toContain('training cancelled');
  });
});

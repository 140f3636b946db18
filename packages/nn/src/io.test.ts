import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isCajalError } from '@cajal/core';
import { describe, expect, it } from 'vitest';
import { loadModelFiles, saveWeightFiles } from './io.node.ts';
import { encodeWeights, loadWeights, packWeights, unpackWeights } from './io.ts';
import { Adam } from './optim.ts';
import { softmaxCrossEntropy } from './functional.ts';
import { type ModelSpec, buildModel } from './spec.ts';
import { Tensor, backward, noGrad } from './tensor.ts';

/**
 * Weight files: criterion — a model rebuilt from the manifest's spec and loaded from the
 * (packed and unpacked) bytes gives bit-identical outputs, batch-norm running statistics
 * included; malformed files raise typed errors.
 */
const SPEC: ModelSpec = {
  input_shape: [2, 32],
  seed: 5,
  layers: [
    { type: 'conv1d', filters: 4, kernel: 5, padding: 2 },
    { type: 'batch_norm' },
    { type: 'relu' },
    { type: 'max_pool', size: 2 },
    { type: 'flatten' },
    { type: 'dropout', rate: 0.2 },
    { type: 'dense', units: 8 },
    { type: 'layer_norm' },
    { type: 'tanh' },
    { type: 'dense', units: 3 },
  ],
};

function sample(count: number): Tensor {
  const data = new Float32Array(count * 64);
  for (let i = 0; i < data.length; i++) data[i] = Math.sin(i * 0.37) + 0.1 * Math.cos(i * 1.3);
  return new Tensor(data, [count, 2, 32]);
}

describe('weight files (JSON manifest + float32 blob)', () => {
  it('round-trips a trained model exactly, through files and the packed single buffer', () => {
    const model = buildModel(SPEC);
    const x = sample(6);
    const optimizer = new Adam(model.parameters(), { learningRate: 0.01 });
    for (let step = 0; step < 3; step++) {
      model.zeroGrad();
      backward(softmaxCrossEntropy(model.forward(x), Int32Array.of(0, 1, 2, 0, 1, 2)));
      optimizer.step();
    }
    model.setTraining(false);
    const expected = noGrad(() => model.forward(x)).data;
    const { manifest, data } = encodeWeights(model, { spec: SPEC, metadata: { note: 'test' } });
    expect(manifest.tensors.some((t) => t.kind === 'buffer' && t.name.endsWith('running_mean'))).toBe(true);
    expect(data.length).toBe(manifest.byte_length);
    const json = JSON.parse(JSON.stringify(manifest)) as unknown;
    const copy = buildModel(SPEC);
    copy.setTraining(false);
    expect(Array.from(noGrad(() => copy.forward(x)).data)).not.toEqual(Array.from(expected));
    loadWeights(copy, json, data.slice());
    expect(Array.from(noGrad(() => copy.forward(x)).data)).toEqual(Array.from(expected));

    const packed = packWeights(manifest, data);
    const unpacked = unpackWeights(packed);
    expect(unpacked.manifest.spec).toEqual(SPEC);
    const third = buildModel(unpacked.manifest.spec as ModelSpec);
    loadWeights(third, unpacked.manifest, unpacked.data);
    third.setTraining(false);
    expect(Array.from(noGrad(() => third.forward(x)).data)).toEqual(Array.from(expected));
  });

  it('saves NAME.json + NAME.bin on disk and rebuilds the model from the spec inside', async () => {
    const folder = mkdtempSync(join(tmpdir(), 'cajal-nn-io-'));
    try {
      const model = buildModel(SPEC);
      model.setTraining(false);
      const x = sample(2);
      const expected = Array.from(noGrad(() => model.forward(x)).data);
      const paths = await saveWeightFiles(join(folder, 'net'), model, { spec: SPEC });
      expect(paths.bin.endsWith('net.bin')).toBe(true);
      const { model: loaded, manifest } = await loadModelFiles(paths.json);
      expect(manifest.data_file).toBe('net.bin');
      expect(Array.from(noGrad(() => loaded.forward(x)).data)).toEqual(expected);
    } finally {
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('rejects bad magic, truncation, missing tensors and shape mismatches with typed errors', () => {
    const model = buildModel(SPEC);
    const { manifest, data } = encodeWeights(model, { spec: SPEC });
    const code = (f: () => void): string => {
      try {
        f();
      } catch (error) {
        if (isCajalError(error)) return error.code;
        throw error;
      }
      return 'none';
    };
    expect(code(() => unpackWeights(new Uint8Array(20)))).toBe('FORMAT_UNKNOWN');
    expect(code(() => unpackWeights(packWeights(manifest, data).subarray(0, 100)))).toBe('FORMAT_TRUNCATED');
    expect(code(() => loadWeights(model, { ...manifest, version: 2 }, data))).toBe('FORMAT_UNSUPPORTED');
    expect(code(() => loadWeights(model, { ...manifest, tensors: manifest.tensors.slice(1) }, data))).toBe('FORMAT_INVALID_FIELD');
    const other = buildModel({ ...SPEC, layers: [...SPEC.layers.slice(0, -1), { type: 'dense', units: 4 }] });
    expect(code(() => loadWeights(other, manifest, data))).toBe('FORMAT_INVALID_FIELD');
    expect(code(() => buildModel({ input_shape: [4], layers: [{ type: 'conv1d', filters: 2, kernel: 3 }] }))).toBe('INVALID_ARGUMENT');
    expect(code(() => buildModel({ input_shape: [4], layers: [{ type: 'nope' } as unknown as { type: 'relu' }] }))).toBe('INVALID_ARGUMENT');
  });
});

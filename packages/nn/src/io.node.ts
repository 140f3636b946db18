import { readFile, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { CajalError } from '@cajal/core';
import { type WeightManifest, encodeWeights, loadWeights, validateManifest } from './io.ts';
import type { Module } from './module.ts';
import type { ModelSpec } from './spec.ts';
import { buildModel } from './spec.ts';

/**
 * Node helpers for weight files on disk: `NAME.json` (manifest) next to `NAME.bin` (blob).
 *
 * @example
 *   await saveWeightFiles('out/eeg', model, { spec });       // out/eeg.json + out/eeg.bin
 *   const { model } = await loadModelFiles('out/eeg.json');  // rebuilt from the spec inside
 */
export async function saveWeightFiles(basePath: string, model: Module, options: { spec?: ModelSpec; metadata?: Record<string, unknown> } = {}): Promise<{ json: string; bin: string }> {
  const base = basePath.replace(/\.(json|bin)$/, '');
  const bin = `${base}.bin`;
  const { manifest, data } = encodeWeights(model, { ...options, dataFile: basename(bin) });
  await writeFile(bin, data);
  await writeFile(`${base}.json`, `${JSON.stringify(manifest, null, 1)}\n`);
  return { json: `${base}.json`, bin };
}

/** Read a manifest and its blob. */
export async function readWeightFiles(jsonPath: string): Promise<{ manifest: WeightManifest; data: Uint8Array }> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(jsonPath, 'utf8'));
  } catch (error) {
    throw new CajalError('PARSE_ERROR', `${jsonPath}: ${(error as Error).message}`, { file: jsonPath });
  }
  const manifest = validateManifest(parsed);
  const data = new Uint8Array(await readFile(join(dirname(jsonPath), manifest.data_file ?? basename(jsonPath).replace(/\.json$/, '.bin'))));
  return { manifest, data };
}

/** Rebuild the model from the manifest's spec and load its weights. */
export async function loadModelFiles(jsonPath: string): Promise<{ model: Module; manifest: WeightManifest }> {
  const { manifest, data } = await readWeightFiles(jsonPath);
  if (!manifest.spec) throw new CajalError('FORMAT_INVALID_FIELD', `${jsonPath} has no model spec; build the model yourself and call loadWeights`, { file: jsonPath, field: 'spec' });
  const model = buildModel(manifest.spec);
  loadWeights(model, manifest, data);
  model.setTraining(false);
  return { model, manifest };
}

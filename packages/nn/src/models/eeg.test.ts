import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describeShared, sharedPath } from '@cajal/core/testing';
import { expect, it } from 'vitest';
import { createEegClassifier, cutWindows, parseBonnText, splitFilesByClass, trainEegClassifier } from './eeg.ts';

/**
 * Real data: Bonn EEG (Andrzejak et al. 2001), set Z (healthy, eyes open; label 0) against set S
 * (seizure; label 1), 70 files each of 4097 samples at 173.61 Hz. Each file is cut into 8
 * windows of 512 samples (2.95 s); files (not windows) are split 70/30 per class with seed 1,
 * so no recording contributes to both sides. The CNN decimates by 2 (86.8 Hz, 256 samples).
 * Criterion: held-out window accuracy ≥ 95%.
 */
const SPLIT_SEED = 1;
const WINDOW = 512;

function loadSet(set: string): Float32Array[] {
  const folder = sharedPath('data', 'bonn-eeg', set);
  return readdirSync(folder)
    .filter((f) => f.toLowerCase().endsWith('.txt'))
    .sort()
    .map((f) => parseBonnText(readFileSync(join(folder, f), 'utf8'), f));
}

describeShared('EEG 1-D CNN on Bonn Z vs S', ['data/bonn-eeg/Z', 'data/bonn-eeg/S'], () => {
  it('separates seizure (S) from healthy (Z) windows with held-out accuracy >= 95% (split by file, seed 1)', async () => {
    const files = [...loadSet('Z').map((s) => ({ s, label: 0 })), ...loadSet('S').map((s) => ({ s, label: 1 }))];
    expect(files.length).toBe(140);
    const { train, test } = splitFilesByClass(files.map((f) => f.label), 0.3, SPLIT_SEED);
    const gather = (indices: number[]): { windows: Float32Array[]; labels: Int32Array } => {
      const windows: Float32Array[] = [];
      const labels: number[] = [];
      for (const i of indices) {
        const f = files[i] as { s: Float32Array; label: number };
        for (const w of cutWindows(f.s, WINDOW)) {
          windows.push(w);
          labels.push(f.label);
        }
      }
      return { windows, labels: Int32Array.from(labels) };
    };
    const training = gather(train);
    const held = gather(test);
    const classifier = createEegClassifier({ windowLength: WINDOW, downsample: 2, seed: 3 });
    await trainEegClassifier(training.windows, training.labels, { classifier, epochs: 12, batchSize: 32, seed: 4 });
    const predicted = classifier.classify(held.windows);
    let correct = 0;
    predicted.forEach((p, i) => {
      if (p === held.labels[i]) correct++;
    });
    const accuracy = correct / held.labels.length;
    console.log(`Bonn Z vs S: held-out accuracy ${(accuracy * 100).toFixed(2)}% on ${held.labels.length} windows from ${test.length} files (train ${training.labels.length} windows from ${train.length} files), split seed ${SPLIT_SEED}`);
    expect(accuracy).toBeGreaterThanOrEqual(0.95);
    const p = classifier.predict(held.windows.slice(0, 3));
    expect(p.length).toBe(6);
    expect((p[0] as number) + (p[1] as number)).toBeCloseTo(1, 5);
  });
});

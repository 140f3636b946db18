import type { LongOperationOptions } from '@cajal/core';
import { createRandom, throwIfAborted } from '@cajal/core';
import { softmaxCrossEntropy } from '../functional.ts';
import { Dense } from '../layers.ts';
import { reshape, slice } from '../linalg.ts';
import { Module } from '../module.ts';
import { Adam } from '../optim.ts';
import { tanh } from '../ops.ts';
import { MultiHeadAttention } from '../sequence_layers.ts';
import { Tensor, backward, noGrad } from '../tensor.ts';
import { CUEING_FEATURES, CueingTask } from '../tasks.ts';

/**
 * An attention network for Posner cueing: the three display tokens are embedded, the cue
 * token's embedding queries the two location tokens through multi-head attention, and the
 * attended value is read out as the target's sign. Because the attention weights are explicit,
 * the share of attention on the cued location can be read per trial and set beside the
 * behavioural cueing effect (accuracy on valid − invalid trials), as in people.
 *
 * @example
 *   const { network } = await trainCueingNetwork({ iterations: 400, seed: 1 });
 *   const r = evaluateCueingNetwork(network, { trials: 2000, seed: 5 });
 *   r.cueing_effect; r.attention_to_cued_location;
 */
export class CueingNetwork extends Module {
  readonly embed: Dense;
  readonly attention: MultiHeadAttention;
  readonly readout: Dense;
  constructor(readonly width = 16, readonly heads = 2, seed = 0) {
    super();
    const random = createRandom(seed);
    this.embed = this.child('embed', new Dense(CUEING_FEATURES, width, { random }));
    this.attention = this.child('attention', new MultiHeadAttention(width, heads, { random }));
    this.readout = this.child('readout', new Dense(width, 2, { random }));
  }
  /** Displays [B, 3, features] → logits [B, 2]. */
  forward(x: Tensor): Tensor {
    const batch = x.shape[0] as number;
    const tokens = reshape(tanh(this.embed.forward(reshape(x, [batch * 3, CUEING_FEATURES]))), [batch, 3, this.width]);
    const attended = this.attention.attend(slice(tokens, 1, 0, 1), slice(tokens, 1, 1, 3));
    return this.readout.forward(reshape(attended, [batch, this.width]));
  }
  /** Attention of the last forward pass on [left, right] per trial, averaged over heads: [B × 2]. */
  locationAttention(): Float32Array {
    const w = this.attention.lastWeights;
    if (!w) return new Float32Array();
    const [batch, heads] = w.shape;
    const out = new Float32Array(batch * 2);
    for (let b = 0; b < batch; b++) for (let h = 0; h < heads; h++) for (let l = 0; l < 2; l++) {
      out[b * 2 + l] = (out[b * 2 + l] as number) + (w.values[(b * heads + h) * 2 + l] as number) / heads;
    }
    return out;
  }
}

interface Trials {
  x: Tensor;
  labels: Int32Array;
  valid: Uint8Array;
  cued: Int32Array;
}

function drawTrials(task: CueingTask, count: number, seed: number): Trials {
  const random = createRandom(seed);
  const x = new Float32Array(count * 3 * CUEING_FEATURES);
  const labels = new Int32Array(count);
  const valid = new Uint8Array(count);
  const cued = new Int32Array(count);
  for (let i = 0; i < count; i++) {
    const { observation, info } = task.reset({ seed: random.nextUint32() });
    x.set(observation, i * observation.length);
    labels[i] = Number(info['correct_action']);
    valid[i] = info['valid'] ? 1 : 0;
    cued[i] = Number(info['cued_location']);
  }
  return { x: new Tensor(x, [count, 3, CUEING_FEATURES]), labels, valid, cued };
}

export interface CueingTrainOptions extends LongOperationOptions {
  /** Cue validity and target contrast of the task (defaults 0.8 and 1.2). */
  validity?: number;
  contrast?: number;
  iterations?: number;
  batch_size?: number;
  learning_rate?: number;
  seed?: number;
}

/** Train a CueingNetwork on fresh CueingTask trials (supervised on the target's sign). */
export async function trainCueingNetwork(options: CueingTrainOptions = {}): Promise<{ network: CueingNetwork; losses: number[] }> {
  const seed = options.seed ?? 0;
  const task = new CueingTask({ validity: options.validity ?? 0.8, contrast: options.contrast ?? 1.2 });
  const network = new CueingNetwork(16, 2, seed);
  const optimizer = new Adam(network.parameters(), { learningRate: options.learning_rate ?? 5e-3 });
  const random = createRandom(seed + 1);
  const losses: number[] = [];
  const iterations = options.iterations ?? 400;
  for (let it = 0; it < iterations; it++) {
    throwIfAborted(options.signal, 'cueing training');
    const trials = drawTrials(task, options.batch_size ?? 64, random.nextUint32());
    network.zeroGrad();
    const loss = softmaxCrossEntropy(network.forward(trials.x), trials.labels);
    backward(loss);
    optimizer.step();
    losses.push(loss.item());
    options.onProgress?.({ done: it + 1, total: iterations, stage: 'training cueing network' });
    if (it % 50 === 49) await new Promise((resolve) => setTimeout(resolve, 0));
  }
  return { network, losses };
}

export interface CueingEvaluation {
  valid_accuracy: number;
  invalid_accuracy: number;
  /** valid − invalid accuracy (the behavioural cueing effect). */
  cueing_effect: number;
  /** Mean attention weight on the cued location (0.5 = no preference). */
  attention_to_cued_location: number;
  trials: number;
}

/** Accuracy on valid and invalid trials and attention on the cued location, over fresh trials. */
export function evaluateCueingNetwork(network: CueingNetwork, options: { trials?: number; seed?: number; validity?: number; contrast?: number } = {}): CueingEvaluation {
  const task = new CueingTask({ validity: options.validity ?? 0.8, contrast: options.contrast ?? 1.2 });
  const trials = drawTrials(task, options.trials ?? 2000, options.seed ?? 99);
  const logits = noGrad(() => network.forward(trials.x));
  const attention = network.locationAttention();
  let validCorrect = 0;
  let validCount = 0;
  let invalidCorrect = 0;
  let invalidCount = 0;
  let cuedAttention = 0;
  for (let i = 0; i < trials.labels.length; i++) {
    const choice = (logits.data[i * 2 + 1] as number) > (logits.data[i * 2] as number) ? 1 : 0;
    const correct = choice === trials.labels[i] ? 1 : 0;
    if (trials.valid[i]) {
      validCount++;
      validCorrect += correct;
    } else {
      invalidCount++;
      invalidCorrect += correct;
    }
    cuedAttention += attention[i * 2 + (trials.cued[i] as number)] as number;
  }
  const valid = validCorrect / Math.max(1, validCount);
  const invalid = invalidCorrect / Math.max(1, invalidCount);
  return { valid_accuracy: valid, invalid_accuracy: invalid, cueing_effect: valid - invalid, attention_to_cued_location: cuedAttention / trials.labels.length, trials: trials.labels.length };
}

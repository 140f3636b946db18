import type { Environment, LongOperationOptions } from '@cajal/core';
import { CajalError, createRandom, throwIfAborted } from '@cajal/core';
import { Adam, Dense, Module, MultiHeadAttention, Tensor, backward, noGrad, reshape, slice, softmaxCrossEntropy, tanh } from '@cajal/nn';

/**
 * An attention network for Posner cueing: the three display tokens are embedded, the cue
 * token's embedding queries the two location tokens through multi-head attention, and the
 * attended value is read out as the target's sign. Because the attention weights are explicit,
 * the share of attention on the cued location can be read per trial and set beside the
 * behavioural cueing effect (accuracy on valid − invalid trials), as in people. It plays any
 * task whose observation is three display tokens [cue, left, right] of `features` features
 * (box shape [3, features]) and whose reset info gives `correct_action`, `valid` and
 * `cued_location` (as @cajal/tasks' `CueingTask` does).
 *
 * @example
 *   const { network } = await trainCueingNetwork(new CueingTask(), { iterations: 400, seed: 1 });
 *   const r = evaluateCueingNetwork(network, new CueingTask(), { trials: 2000, seed: 5 });
 *   r.cueing_effect; r.attention_to_cued_location;
 */
export class CueingNetwork extends Module {
  readonly embed: Dense;
  readonly attention: MultiHeadAttention;
  readonly readout: Dense;
  constructor(readonly width = 16, readonly heads = 2, seed = 0, readonly features = 6) {
    super();
    const random = createRandom(seed);
    this.embed = this.child('embed', new Dense(features, width, { random }));
    this.attention = this.child('attention', new MultiHeadAttention(width, heads, { random }));
    this.readout = this.child('readout', new Dense(width, 2, { random }));
  }
  /** Displays [B, 3, features] → logits [B, 2]. */
  forward(x: Tensor): Tensor {
    const batch = x.shape[0] as number;
    const tokens = reshape(tanh(this.embed.forward(reshape(x, [batch * 3, this.features]))), [batch, 3, this.width]);
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

type CueingDisplay = Environment<Float32Array, number>;

/** Features per display token of a cueing task (its observation box is [3, features]). */
function tokenFeatures(task: CueingDisplay): number {
  const space = task.observationSpace;
  if (space.kind !== 'box' || space.shape.length !== 2 || space.shape[0] !== 3) throw new CajalError('INVALID_ARGUMENT', `a cueing task shows 3 tokens (observation box [3, features]); "${task.id}" does not`, { field: 'observationSpace' });
  return space.shape[1] as number;
}

function drawTrials(task: CueingDisplay, count: number, seed: number): Trials {
  const random = createRandom(seed);
  const features = tokenFeatures(task);
  const x = new Float32Array(count * 3 * features);
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
  return { x: new Tensor(x, [count, 3, features]), labels, valid, cued };
}

export interface CueingTrainOptions extends LongOperationOptions {
  /** Optimiser steps (default 400), trials per step (default 64), Adam learning rate (default 5e-3). */
  iterations?: number;
  batchSize?: number;
  learningRate?: number;
  seed?: number;
}

/** Train a CueingNetwork on fresh trials of `task` (supervised on the target's sign). */
export async function trainCueingNetwork(task: CueingDisplay, options: CueingTrainOptions = {}): Promise<{ network: CueingNetwork; losses: number[] }> {
  const seed = options.seed ?? 0;
  const network = new CueingNetwork(16, 2, seed, tokenFeatures(task));
  const optimizer = new Adam(network.parameters(), { learningRate: options.learningRate ?? 5e-3 });
  const random = createRandom(seed + 1);
  const losses: number[] = [];
  const iterations = options.iterations ?? 400;
  for (let it = 0; it < iterations; it++) {
    throwIfAborted(options.signal, 'cueing training');
    const trials = drawTrials(task, options.batchSize ?? 64, random.nextUint32());
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

/** Accuracy on valid and invalid trials and attention on the cued location, over fresh trials of `task` (default 2000 trials, seed 99). */
export function evaluateCueingNetwork(network: CueingNetwork, task: CueingDisplay, options: { trials?: number; seed?: number } = {}): CueingEvaluation {
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

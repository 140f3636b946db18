import type { Random } from '@cajal/core';
import { Tensor, check, result, shapeSize } from './tensor.ts';

/**
 * Neural-network functions with gradients: softmax family, losses, embedding, dropout and the
 * normalisations. Softmax-type functions work on the last axis.
 *
 * @example
 *   const loss = softmaxCrossEntropy(logits, Int32Array.of(0, 2, 1)); // mean over rows
 */

/** Softmax over the last axis. */
export function softmax(a: Tensor): Tensor {
  const cols = a.shape[a.shape.length - 1] as number;
  const rows = a.size / cols;
  const out = new Float32Array(a.size);
  softmaxRows(a.data, out, rows, cols);
  return result(out, a.shape, [a], (g) => {
    const ga = a.ensureGrad();
    for (let r = 0; r < rows; r++) {
      const base = r * cols;
      let dot = 0;
      for (let j = 0; j < cols; j++) dot += (g[base + j] as number) * (out[base + j] as number);
      for (let j = 0; j < cols; j++) ga[base + j] += (out[base + j] as number) * ((g[base + j] as number) - dot);
    }
  });
}

/** Row-wise softmax of a rows x cols block (no gradient). */
export function softmaxRows(input: Float32Array, out: Float32Array, rows: number, cols: number): void {
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    let peak = -Infinity;
    for (let j = 0; j < cols; j++) peak = Math.max(peak, input[base + j] as number);
    let total = 0;
    for (let j = 0; j < cols; j++) {
      const e = Math.exp((input[base + j] as number) - peak);
      out[base + j] = e;
      total += e;
    }
    for (let j = 0; j < cols; j++) out[base + j] = (out[base + j] as number) / total;
  }
}

/** log(softmax(a)) over the last axis, computed stably. */
export function logSoftmax(a: Tensor): Tensor {
  const cols = a.shape[a.shape.length - 1] as number;
  const rows = a.size / cols;
  const out = new Float32Array(a.size);
  const ad = a.data;
  for (let r = 0; r < rows; r++) {
    const base = r * cols;
    let peak = -Infinity;
    for (let j = 0; j < cols; j++) peak = Math.max(peak, ad[base + j] as number);
    let total = 0;
    for (let j = 0; j < cols; j++) total += Math.exp((ad[base + j] as number) - peak);
    const logTotal = peak + Math.log(total);
    for (let j = 0; j < cols; j++) out[base + j] = (ad[base + j] as number) - logTotal;
  }
  return result(out, a.shape, [a], (g) => {
    const ga = a.ensureGrad();
    for (let r = 0; r < rows; r++) {
      const base = r * cols;
      let gsum = 0;
      for (let j = 0; j < cols; j++) gsum += g[base + j] as number;
      for (let j = 0; j < cols; j++) ga[base + j] += (g[base + j] as number) - Math.exp(out[base + j] as number) * gsum;
    }
  });
}

/**
 * Mean softmax cross-entropy of `logits` [N, C] against integer class labels (N values in
 * [0, C)). Optional per-row `weights` (N values, e.g. a mask of 0/1) weight the mean.
 */
export function softmaxCrossEntropy(logits: Tensor, labels: ArrayLike<number>, weights?: ArrayLike<number>): Tensor {
  check(logits.shape.length === 2, 'softmaxCrossEntropy', `logits must be [N, C], got [${logits.shape.join(', ')}]`);
  const rows = logits.shape[0] as number;
  const cols = logits.shape[1] as number;
  check(labels.length === rows, 'softmaxCrossEntropy', `${labels.length} labels for ${rows} rows`);
  const probabilities = new Float32Array(logits.size);
  softmaxRows(logits.data, probabilities, rows, cols);
  let total = 0;
  let weightTotal = 0;
  for (let r = 0; r < rows; r++) {
    const label = labels[r] as number;
    check(Number.isInteger(label) && label >= 0 && label < cols, 'softmaxCrossEntropy', `label ${label} at row ${r} is not a class in [0, ${cols})`);
    const w = weights ? (weights[r] as number) : 1;
    total -= w * Math.log(Math.max(probabilities[r * cols + label] as number, 1e-30));
    weightTotal += w;
  }
  const denominator = weightTotal > 0 ? weightTotal : 1;
  return result(Float32Array.of(total / denominator), [], [logits], (g) => {
    const gl = logits.ensureGrad();
    const gv = (g[0] as number) / denominator;
    for (let r = 0; r < rows; r++) {
      const w = (weights ? (weights[r] as number) : 1) * gv;
      if (w === 0) continue;
      const base = r * cols;
      for (let j = 0; j < cols; j++) gl[base + j] += w * (probabilities[base + j] as number);
      gl[base + (labels[r] as number)] -= w;
    }
  });
}

/** Mean squared error between `prediction` and `target` (same shape). */
export function mse(prediction: Tensor, target: Tensor): Tensor {
  check(prediction.size === target.size, 'mse', `prediction has ${prediction.size} values, target ${target.size}`);
  const n = prediction.size;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const d = (prediction.data[i] as number) - (target.data[i] as number);
    total += d * d;
  }
  return result(Float32Array.of(total / n), [], [prediction, target], (g) => {
    const c = (2 * (g[0] as number)) / n;
    if (prediction.requiresGrad) {
      const gp = prediction.ensureGrad();
      for (let i = 0; i < n; i++) gp[i] += c * ((prediction.data[i] as number) - (target.data[i] as number));
    }
    if (target.requiresGrad) {
      const gt = target.ensureGrad();
      for (let i = 0; i < n; i++) gt[i] -= c * ((prediction.data[i] as number) - (target.data[i] as number));
    }
  });
}

/** Mean Huber loss (quadratic within `delta`, default 1, linear beyond). */
export function huber(prediction: Tensor, target: Tensor, delta = 1): Tensor {
  check(prediction.size === target.size, 'huber', `prediction has ${prediction.size} values, target ${target.size}`);
  const n = prediction.size;
  let total = 0;
  for (let i = 0; i < n; i++) {
    const d = Math.abs((prediction.data[i] as number) - (target.data[i] as number));
    total += d <= delta ? 0.5 * d * d : delta * (d - 0.5 * delta);
  }
  return result(Float32Array.of(total / n), [], [prediction, target], (g) => {
    const c = (g[0] as number) / n;
    const gp = prediction.requiresGrad ? prediction.ensureGrad() : null;
    const gt = target.requiresGrad ? target.ensureGrad() : null;
    for (let i = 0; i < n; i++) {
      const d = (prediction.data[i] as number) - (target.data[i] as number);
      const slope = c * (Math.abs(d) <= delta ? d : delta * Math.sign(d));
      if (gp) gp[i] += slope;
      if (gt) gt[i] -= slope;
    }
  });
}

/** Rows of `table` [V, D] picked by integer `indices`; result shape [...indexShape, D]. */
export function embedding(table: Tensor, indices: ArrayLike<number>, indexShape: readonly number[] = [indices.length]): Tensor {
  check(table.shape.length === 2, 'embedding', `table must be [V, D], got [${table.shape.join(', ')}]`);
  const vocabulary = table.shape[0] as number;
  const width = table.shape[1] as number;
  const count = indices.length;
  const out = new Float32Array(count * width);
  for (let i = 0; i < count; i++) {
    const index = indices[i] as number;
    check(Number.isInteger(index) && index >= 0 && index < vocabulary, 'embedding', `index ${index} at ${i} outside [0, ${vocabulary})`);
    out.set(table.data.subarray(index * width, (index + 1) * width), i * width);
  }
  return result(out, [...indexShape, width], [table], (g) => {
    const gt = table.ensureGrad();
    for (let i = 0; i < count; i++) {
      const base = (indices[i] as number) * width;
      for (let j = 0; j < width; j++) gt[base + j] += g[i * width + j] as number;
    }
  });
}

/** Inverted dropout: in training zero each value with probability `rate` and scale the rest by 1/(1−rate). */
export function dropout(a: Tensor, rate: number, random: Random, training: boolean): Tensor {
  check(rate >= 0 && rate < 1, 'dropout', `rate ${rate} must be in [0, 1)`);
  if (!training || rate === 0) return a;
  const keep = 1 / (1 - rate);
  const mask = new Float32Array(a.size);
  const out = new Float32Array(a.size);
  for (let i = 0; i < a.size; i++) {
    const m = random.uniform() >= rate ? keep : 0;
    mask[i] = m;
    out[i] = (a.data[i] as number) * m;
  }
  return result(out, a.shape, [a], (g) => {
    const ga = a.ensureGrad();
    for (let i = 0; i < ga.length; i++) ga[i] += (g[i] as number) * (mask[i] as number);
  });
}

/** Layer normalisation over the last axis with learned `gain` and `bias` (both [D]). */
export function layerNorm(x: Tensor, gain: Tensor, bias: Tensor, epsilon = 1e-5): Tensor {
  const width = x.shape[x.shape.length - 1] as number;
  check(gain.size === width && bias.size === width, 'layerNorm', `gain/bias must have ${width} values`);
  const rows = x.size / width;
  const normalized = new Float32Array(x.size);
  const inverseStd = new Float32Array(rows);
  const out = new Float32Array(x.size);
  for (let r = 0; r < rows; r++) {
    const base = r * width;
    let m = 0;
    for (let j = 0; j < width; j++) m += x.data[base + j] as number;
    m /= width;
    let v = 0;
    for (let j = 0; j < width; j++) v += ((x.data[base + j] as number) - m) ** 2;
    const inv = 1 / Math.sqrt(v / width + epsilon);
    inverseStd[r] = inv;
    for (let j = 0; j < width; j++) {
      const nv = ((x.data[base + j] as number) - m) * inv;
      normalized[base + j] = nv;
      out[base + j] = nv * (gain.data[j] as number) + (bias.data[j] as number);
    }
  }
  return result(out, x.shape, [x, gain, bias], (g) => {
    const gg = gain.requiresGrad ? gain.ensureGrad() : null;
    const gb = bias.requiresGrad ? bias.ensureGrad() : null;
    const gx = x.requiresGrad ? x.ensureGrad() : null;
    for (let r = 0; r < rows; r++) {
      const base = r * width;
      let sumDn = 0;
      let sumDnN = 0;
      for (let j = 0; j < width; j++) {
        const gv = g[base + j] as number;
        const nv = normalized[base + j] as number;
        if (gg) gg[j] += gv * nv;
        if (gb) gb[j] += gv;
        const dn = gv * (gain.data[j] as number);
        sumDn += dn;
        sumDnN += dn * nv;
      }
      if (gx) {
        const inv = inverseStd[r] as number;
        for (let j = 0; j < width; j++) {
          const dn = (g[base + j] as number) * (gain.data[j] as number);
          gx[base + j] += (inv / width) * (width * dn - sumDn - (normalized[base + j] as number) * sumDnN);
        }
      }
    }
  });
}

/** Running statistics a batch-norm layer keeps for evaluation. */
export interface BatchNormState {
  runningMean: Float32Array;
  runningVariance: Float32Array;
  /** Weight of the new batch in the running average (default 0.1, as PyTorch). */
  momentum: number;
}

/**
 * Batch normalisation over axis 1 (channels) of [N, C] or [N, C, ...] input. In training it
 * uses the batch statistics and updates `state`; in evaluation it uses the running ones.
 */
export function batchNorm(x: Tensor, gain: Tensor, bias: Tensor, state: BatchNormState, training: boolean, epsilon = 1e-5): Tensor {
  check(x.shape.length >= 2, 'batchNorm', `input must be [N, C, ...], got [${x.shape.join(', ')}]`);
  const batch = x.shape[0] as number;
  const channels = x.shape[1] as number;
  const inner = shapeSize(x.shape.slice(2));
  check(gain.size === channels && bias.size === channels, 'batchNorm', `gain/bias must have ${channels} values`);
  const count = batch * inner;
  const means = new Float64Array(channels);
  const inverseStd = new Float32Array(channels);
  const xd = x.data;
  if (training) {
    const variances = new Float64Array(channels);
    for (let n = 0; n < batch; n++) for (let c = 0; c < channels; c++) {
      const base = (n * channels + c) * inner;
      for (let i = 0; i < inner; i++) means[c] = (means[c] as number) + (xd[base + i] as number);
    }
    for (let c = 0; c < channels; c++) means[c] = (means[c] as number) / count;
    for (let n = 0; n < batch; n++) for (let c = 0; c < channels; c++) {
      const base = (n * channels + c) * inner;
      const m = means[c] as number;
      for (let i = 0; i < inner; i++) variances[c] = (variances[c] as number) + ((xd[base + i] as number) - m) ** 2;
    }
    for (let c = 0; c < channels; c++) {
      const v = (variances[c] as number) / count;
      inverseStd[c] = 1 / Math.sqrt(v + epsilon);
      const unbiased = count > 1 ? (v * count) / (count - 1) : v;
      state.runningMean[c] = (1 - state.momentum) * (state.runningMean[c] as number) + state.momentum * (means[c] as number);
      state.runningVariance[c] = (1 - state.momentum) * (state.runningVariance[c] as number) + state.momentum * unbiased;
    }
  } else {
    for (let c = 0; c < channels; c++) {
      means[c] = state.runningMean[c] as number;
      inverseStd[c] = 1 / Math.sqrt((state.runningVariance[c] as number) + epsilon);
    }
  }
  const normalized = new Float32Array(x.size);
  const out = new Float32Array(x.size);
  for (let n = 0; n < batch; n++) for (let c = 0; c < channels; c++) {
    const base = (n * channels + c) * inner;
    const m = means[c] as number;
    const inv = inverseStd[c] as number;
    const gv = gain.data[c] as number;
    const bv = bias.data[c] as number;
    for (let i = 0; i < inner; i++) {
      const nv = ((xd[base + i] as number) - m) * inv;
      normalized[base + i] = nv;
      out[base + i] = nv * gv + bv;
    }
  }
  return result(out, x.shape, [x, gain, bias], (g) => {
    const sumDn = new Float64Array(channels);
    const sumDnN = new Float64Array(channels);
    const gg = gain.requiresGrad ? gain.ensureGrad() : null;
    const gb = bias.requiresGrad ? bias.ensureGrad() : null;
    for (let n = 0; n < batch; n++) for (let c = 0; c < channels; c++) {
      const base = (n * channels + c) * inner;
      let s1 = 0;
      let s2 = 0;
      for (let i = 0; i < inner; i++) {
        const gv = g[base + i] as number;
        s1 += gv;
        s2 += gv * (normalized[base + i] as number);
      }
      if (gb) gb[c] += s1;
      if (gg) gg[c] += s2;
      sumDn[c] = (sumDn[c] as number) + s1 * (gain.data[c] as number);
      sumDnN[c] = (sumDnN[c] as number) + s2 * (gain.data[c] as number);
    }
    if (!x.requiresGrad) return;
    const gx = x.ensureGrad();
    for (let n = 0; n < batch; n++) for (let c = 0; c < channels; c++) {
      const base = (n * channels + c) * inner;
      const inv = inverseStd[c] as number;
      const gv = gain.data[c] as number;
      for (let i = 0; i < inner; i++) {
        const dn = (g[base + i] as number) * gv;
        gx[base + i] += training
          ? (inv / count) * (count * dn - (sumDn[c] as number) - (normalized[base + i] as number) * (sumDnN[c] as number))
          : dn * inv;
      }
    }
  });
}

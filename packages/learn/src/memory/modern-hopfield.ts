import { CajalError } from '@cajal/core';
import { softmax } from '../rl/math.ts';

/**
 * The modern continuous Hopfield network (Ramsauer et al. 2020, "Hopfield networks is all you
 * need"): stored patterns are the columns of X (here M rows of length d), and one update is
 * xi_new = X^T softmax(beta X xi), the attention of a transformer with the state as query
 * and the patterns as keys and values. Its capacity grows exponentially with d, and a
 * well-separated pattern is retrieved in one update.
 *
 * @example
 *   const next = modernHopfieldUpdate(patterns, query, 1);
 */
export function modernHopfieldUpdate(patterns: ArrayLike<number>[], state: ArrayLike<number>, beta: number): Float32Array {
  return attention(state, patterns, patterns, beta).output;
}

/**
 * Scaled dot-product attention for one query: weights = softmax(beta keys . query), output =
 * sum_m weights_m values_m. With keys = values = stored patterns this is the modern Hopfield update.
 */
export function attention(query: ArrayLike<number>, keys: ArrayLike<number>[], values: ArrayLike<number>[], beta: number): { output: Float32Array; weights: Float64Array } {
  if (keys.length !== values.length || keys.length === 0) throw new CajalError('INVALID_ARGUMENT', `keys (${keys.length}) and values (${values.length}) must be equal and non-empty`, { field: 'keys' });
  const d = query.length;
  const scores = new Float64Array(keys.length);
  keys.forEach((key, m) => {
    if (key.length !== d) throw new CajalError('INVALID_ARGUMENT', `key ${m} has ${key.length} values, query ${d}`, { field: 'keys' });
    let s = 0;
    for (let i = 0; i < d; i++) s += (key[i] as number) * (query[i] as number);
    scores[m] = s;
  });
  const weights = softmax(scores, beta);
  const width = (values[0] as ArrayLike<number>).length;
  const output = new Float32Array(width);
  values.forEach((value, m) => {
    const w = weights[m] as number;
    if (w < 1e-12) return;
    for (let i = 0; i < width; i++) output[i] = (output[i] as number) + w * (value[i] as number);
  });
  return { output, weights };
}

import { CajalError, type Random } from '@cajal/core';
import type { ConnectionRule } from './network.ts';

/**
 * Connection rules, drawn from a seeded generator. Output is CSR by presynaptic neuron:
 * `rowStart[j]..rowStart[j+1]` index `targets` (postsynaptic indices, ascending per row).
 * Indices are absolute within their groups; ranges select sub-populations.
 *
 * @example
 *   connect({ rule: 'probability', p: 0.02 }, [0, 3200], [0, 4000], 4000, 4000, createRandom(1));
 */
export interface Connectivity {
  rowStart: Int32Array;
  targets: Int32Array;
}

/** Build the synapses of one projection. */
export function connect(
  rule: ConnectionRule,
  sourceRange: [number, number],
  targetRange: [number, number],
  sourceSize: number,
  targetSize: number,
  random: Random,
): Connectivity {
  const [s0, s1] = sourceRange;
  const [t0, t1] = targetRange;
  if (s0 < 0 || s1 > sourceSize || s0 > s1 || t0 < 0 || t1 > targetSize || t0 > t1) {
    throw new CajalError('INVALID_ARGUMENT', `synapse ranges [${s0}, ${s1}) / [${t0}, ${t1}) fall outside the groups (${sourceSize}, ${targetSize})`, { field: 'source_range' });
  }
  const counts = new Int32Array(sourceSize);
  let pairs: { pre: Int32Array; post: Int32Array; length: number };
  const grow = (capacity: number): { pre: Int32Array; post: Int32Array; length: number } => ({ pre: new Int32Array(capacity), post: new Int32Array(capacity), length: 0 });
  const push = (pre: number, post: number): void => {
    if (pairs.length === pairs.pre.length) {
      const bigger = grow(pairs.pre.length * 2 + 16);
      bigger.pre.set(pairs.pre);
      bigger.post.set(pairs.post);
      bigger.length = pairs.length;
      pairs = bigger;
    }
    pairs.pre[pairs.length] = pre;
    pairs.post[pairs.length++] = post;
    counts[pre]++;
  };
  const nTargets = t1 - t0;
  const nSources = s1 - s0;
  switch (rule.rule) {
    case 'probability': {
      const p = rule.p;
      if (!(p >= 0 && p <= 1)) throw new CajalError('INVALID_ARGUMENT', `connection probability ${p} is outside [0, 1]`, { field: 'p' });
      pairs = grow(Math.ceil(nSources * nTargets * p * 1.1) + 16);
      const logq = Math.log(1 - p);
      for (let j = s0; j < s1; j++) {
        if (p === 0) break;
        // Geometric skipping: cost proportional to the synapses made, not to N^2.
        let i = t0 - 1;
        for (;;) {
          i += p === 1 ? 1 : 1 + Math.floor(Math.log(1 - random.uniform()) / logq);
          if (i >= t1) break;
          if (i === j && rule.autapses === false) continue;
          push(j, i);
        }
      }
      break;
    }
    case 'fixed_in_degree': {
      const k = rule.count;
      const excludeSelf = rule.autapses === false;
      if (k > nSources) throw new CajalError('INVALID_ARGUMENT', `in-degree ${k} exceeds the ${nSources} sources`, { field: 'count' });
      pairs = grow(nTargets * k + 16);
      const chosen = new Set<number>();
      for (let i = t0; i < t1; i++) {
        chosen.clear();
        while (chosen.size < k) {
          const j = s0 + random.integer(nSources);
          if (excludeSelf && j === i) continue;
          chosen.add(j);
        }
        for (const j of [...chosen].sort((a, b) => a - b)) push(j, i);
      }
      break;
    }
    case 'all_to_all':
      pairs = grow(nSources * nTargets + 16);
      for (let j = s0; j < s1; j++) for (let i = t0; i < t1; i++) if (!(i === j && rule.autapses === false)) push(j, i);
      break;
    case 'one_to_one':
      if (nSources !== nTargets) throw new CajalError('INVALID_ARGUMENT', `one_to_one needs equal sizes, got ${nSources} and ${nTargets}`, { field: 'connect' });
      pairs = grow(nSources + 16);
      for (let n = 0; n < nSources; n++) push(s0 + n, t0 + n);
      break;
    case 'list':
      if (rule.pre.length !== rule.post.length) throw new CajalError('INVALID_ARGUMENT', `list rule has ${rule.pre.length} pre and ${rule.post.length} post indices`, { field: 'connect' });
      pairs = grow(rule.pre.length + 16);
      rule.pre.forEach((j, n) => {
        const i = rule.post[n] as number;
        if (j < s0 || j >= s1 || i < t0 || i >= t1) throw new CajalError('INVALID_ARGUMENT', `synapse ${n} (${j} -> ${i}) falls outside the groups`, { field: 'connect' });
        push(j, i);
      });
      break;
    default:
      throw new CajalError('INVALID_ARGUMENT', `unknown connection rule "${(rule as { rule: string }).rule}"`, { field: 'connect' });
  }
  const rowStart = new Int32Array(sourceSize + 1);
  for (let j = 0; j < sourceSize; j++) rowStart[j + 1] = (rowStart[j] as number) + (counts[j] as number);
  const fill = rowStart.slice(0, sourceSize);
  const targets = new Int32Array(pairs.length);
  for (let n = 0; n < pairs.length; n++) targets[fill[pairs.pre[n] as number]++] = pairs.post[n] as number;
  return { rowStart, targets };
}

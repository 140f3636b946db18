import { CajalError } from '@cajal/core';
import { parseQuantity } from './equations.ts';
import type { PlasticityDescription } from './network.ts';
import { SECOND, expectDimension } from './units.ts';

/**
 * Synaptic plasticity rules, hand-written over the CSR arrays (both backends call the same
 * functions, so results agree). Traces are per neuron and decay once per step.
 * - `stdp`: pair-based, all-to-all, additive (Song et al. 2000; Brian's STDP example).
 * - `triplet_stdp`: Pfister & Gerstner 2006, all-to-all minimal triplet model.
 * - `dopamine_stdp`: Izhikevich 2007: STDP feeds an eligibility trace c per synapse;
 *   every update interval w += (baseline + dopamine) * c, c and dopamine decay.
 */
export interface PlasticityRuntime {
  /** Presynaptic spikes of this step (after their effects were delivered). */
  onPreSpikes(spikes: Int32Array, count: number): void;
  /** Postsynaptic spikes of this step. */
  onPostSpikes(spikes: Int32Array, count: number): void;
  /** End of a step: decay traces, apply eligibility. */
  advance(step: number): void;
  /** Add dopamine (only `dopamine_stdp`). */
  reward(amount: number): void;
  /** Current dopamine level (0 for rules without one). */
  dopamine(): number;
  /** Per-synapse eligibility (only `dopamine_stdp`). */
  eligibility?: Float64Array;
}

/** CSR synapses as the plasticity rules need them. */
export interface SynapseArrays {
  sourceSize: number;
  targetSize: number;
  rowStart: Int32Array;
  targets: Int32Array;
  weights: Float32Array;
}

function seconds(value: string | number, field: string): number {
  if (typeof value === 'number') return value;
  const q = parseQuantity(value, new Map(), field);
  expectDimension(q.dimension, SECOND, field, 'a time constant');
  return q.value;
}

/** Incoming synapses per target: column start and synapse indices, plus each synapse's source. */
export function transposeSynapses(s: SynapseArrays): { columnStart: Int32Array; synapses: Int32Array; sources: Int32Array } {
  const count = s.targets.length;
  const columnStart = new Int32Array(s.targetSize + 1);
  for (let k = 0; k < count; k++) columnStart[(s.targets[k] as number) + 1]++;
  for (let i = 0; i < s.targetSize; i++) columnStart[i + 1] += columnStart[i] as number;
  const fill = columnStart.slice(0, s.targetSize);
  const synapses = new Int32Array(count);
  const sources = new Int32Array(count);
  for (let j = 0; j < s.sourceSize; j++) {
    for (let k = s.rowStart[j] as number; k < (s.rowStart[j + 1] as number); k++) {
      synapses[fill[s.targets[k] as number]++] = k;
      sources[k] = j;
    }
  }
  return { columnStart, synapses, sources };
}

/** Create the runtime of a plasticity rule for one projection at time step `dtSeconds`. */
export function createPlasticity(rule: PlasticityDescription, s: SynapseArrays, dtSeconds: number): PlasticityRuntime {
  const { rowStart, targets, weights } = s;
  const { columnStart, synapses, sources } = transposeSynapses(s);
  const wMin = rule.w_min ?? 0;
  const wMax = rule.w_max;
  const clamp = (x: number): number => (x < wMin ? wMin : x > wMax ? wMax : x);
  if (rule.rule === 'stdp' || rule.rule === 'dopamine_stdp') {
    const decayPre = Math.exp(-dtSeconds / seconds(rule.tau_pre, 'tau_pre'));
    const decayPost = Math.exp(-dtSeconds / seconds(rule.tau_post, 'tau_post'));
    const pre = new Float64Array(s.sourceSize);
    const post = new Float64Array(s.targetSize);
    const dopamineRule = rule.rule === 'dopamine_stdp';
    const eligibility = dopamineRule ? new Float64Array(targets.length) : undefined;
    const target = eligibility ?? null;
    let dopamine = 0;
    let intervalSteps = 1;
    let decayEligibility = 1;
    let decayDopamine = 1;
    let baseline = 0;
    if (rule.rule === 'dopamine_stdp') {
      intervalSteps = Math.max(1, Math.round(seconds(rule.update_interval ?? dtSeconds, 'update_interval') / dtSeconds));
      decayEligibility = Math.exp(-(intervalSteps * dtSeconds) / seconds(rule.tau_eligibility, 'tau_eligibility'));
      decayDopamine = Math.exp(-dtSeconds / seconds(rule.tau_dopamine, 'tau_dopamine'));
      baseline = rule.baseline_dopamine ?? 0;
    }
    return {
      eligibility,
      onPreSpikes(spikes, count) {
        for (let n = 0; n < count; n++) {
          const j = spikes[n] as number;
          pre[j] += rule.a_pre;
          for (let k = rowStart[j] as number; k < (rowStart[j + 1] as number); k++) {
            if (target) target[k] += post[targets[k] as number] as number;
            else weights[k] = clamp((weights[k] as number) + (post[targets[k] as number] as number));
          }
        }
      },
      onPostSpikes(spikes, count) {
        for (let n = 0; n < count; n++) {
          const i = spikes[n] as number;
          post[i] += rule.a_post;
          for (let c = columnStart[i] as number; c < (columnStart[i + 1] as number); c++) {
            const k = synapses[c] as number;
            if (target) target[k] += pre[sources[k] as number] as number;
            else weights[k] = clamp((weights[k] as number) + (pre[sources[k] as number] as number));
          }
        }
      },
      advance(step) {
        for (let j = 0; j < pre.length; j++) pre[j] *= decayPre;
        for (let i = 0; i < post.length; i++) post[i] *= decayPost;
        if (eligibility) {
          if ((step + 1) % intervalSteps === 0) {
            const gain = baseline + dopamine;
            for (let k = 0; k < eligibility.length; k++) {
              weights[k] = clamp((weights[k] as number) + gain * (eligibility[k] as number));
              eligibility[k] *= decayEligibility;
            }
          }
          dopamine *= decayDopamine;
        }
      },
      reward(amount) {
        if (!dopamineRule) throw new CajalError('INVALID_ARGUMENT', `reward() needs a dopamine_stdp rule, this projection has "${rule.rule}"`);
        dopamine += amount;
      },
      dopamine: () => dopamine,
    };
  }
  // Triplet rule, all-to-all minimal model (Pfister & Gerstner 2006, Table 4 style parameters).
  const d1 = Math.exp(-dtSeconds / seconds(rule.tau_plus, 'tau_plus'));
  const d2 = Math.exp(-dtSeconds / seconds(rule.tau_x, 'tau_x'));
  const o1d = Math.exp(-dtSeconds / seconds(rule.tau_minus, 'tau_minus'));
  const o2d = Math.exp(-dtSeconds / seconds(rule.tau_y, 'tau_y'));
  const r1 = new Float64Array(s.sourceSize);
  const r2 = new Float64Array(s.sourceSize);
  const o1 = new Float64Array(s.targetSize);
  const o2 = new Float64Array(s.targetSize);
  return {
    onPreSpikes(spikes, count) {
      for (let n = 0; n < count; n++) {
        const j = spikes[n] as number;
        const r2Before = r2[j] as number;
        for (let k = rowStart[j] as number; k < (rowStart[j + 1] as number); k++) {
          const i = targets[k] as number;
          weights[k] = clamp((weights[k] as number) - (o1[i] as number) * (rule.a2_minus + rule.a3_minus * r2Before));
        }
        r1[j] += 1;
        r2[j] += 1;
      }
    },
    onPostSpikes(spikes, count) {
      for (let n = 0; n < count; n++) {
        const i = spikes[n] as number;
        const o2Before = o2[i] as number;
        for (let c = columnStart[i] as number; c < (columnStart[i + 1] as number); c++) {
          const k = synapses[c] as number;
          weights[k] = clamp((weights[k] as number) + (r1[sources[k] as number] as number) * (rule.a2_plus + rule.a3_plus * o2Before));
        }
        o1[i] += 1;
        o2[i] += 1;
      }
    },
    advance() {
      for (let j = 0; j < r1.length; j++) {
        r1[j] *= d1;
        r2[j] *= d2;
      }
      for (let i = 0; i < o1.length; i++) {
        o1[i] *= o1d;
        o2[i] *= o2d;
      }
    },
    reward() {
      throw new CajalError('INVALID_ARGUMENT', 'reward() needs a dopamine_stdp rule, this projection has "triplet_stdp"');
    },
    dopamine: () => 0,
  };
}

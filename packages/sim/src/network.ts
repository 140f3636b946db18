import type { NeuronModelDescription } from './equations.ts';
import type { Precision } from './precision.ts';

/**
 * A whole network as JSON-serialisable data: neuron groups, synapses, monitors. This is what
 * `cajal simulate model.json` reads and what every backend compiles.
 *
 * @example
 *   const net: NetworkDescription = { dt: '0.1*ms', seed: 1, groups: [...], synapses: [...], monitors: [{ kind: 'spikes', group: 'P' }] };
 */
export interface NetworkDescription {
  name?: string;
  /** Time step ("0.1*ms", or seconds as a number). */
  dt: string | number;
  /** Seed for connectivity, initial values and noise (default 1). */
  seed?: number;
  /** Default duration for `cajal simulate` (seconds). */
  duration_seconds?: number;
  /**
   * Precision of per-neuron state and its arithmetic: "double" (float64, default, as Brian2) or
   * "single" (float32 storage and float32 arithmetic in every backend: half the memory traffic
   * and four neurons per SIMD instruction in the wasm backend, as GeNN does on GPUs).
   */
  precision?: Precision;
  groups: GroupDescription[];
  synapses?: SynapseDescription[];
  monitors?: MonitorDescription[];
}

/**
 * A value per neuron or per synapse: a number (SI), an expression with units that may call
 * rand()/randn() and use `i` (index) and `N` (size) — evaluated once per element — or
 * explicit values, one per element.
 */
export type ValueSpecification = number | string | number[];

/** A population. `neurons` groups follow a model; `poisson` and `spike_times` are generators. */
export type GroupDescription =
  | { kind?: 'neurons'; name: string; size: number; model: NeuronModelDescription; initial?: Record<string, ValueSpecification> }
  | { kind: 'poisson'; name: string; size: number; rate: ValueSpecification }
  | { kind: 'spike_times'; name: string; size: number; neuron: number[]; times_seconds: number[] };

/** How pre- and postsynaptic neurons are paired. */
export type ConnectionRule =
  | { rule: 'probability'; p: number; autapses?: boolean }
  | { rule: 'fixed_in_degree'; count: number; autapses?: boolean }
  | { rule: 'all_to_all'; autapses?: boolean }
  | { rule: 'one_to_one' }
  | { rule: 'list'; pre: number[]; post: number[] };

/** What a presynaptic spike does after `delay`: statements like "ge_post += w" (additive only). */
export interface Pathway {
  statements: string;
  /** Overrides the synapse's delay for this pathway. */
  delay?: ValueSpecification;
}

/** Plasticity rules; parameters with units as strings ("20*ms"). */
export type PlasticityDescription =
  | { rule: 'stdp'; tau_pre: string | number; tau_post: string | number; a_pre: number; a_post: number; w_max: number; w_min?: number }
  | { rule: 'triplet_stdp'; tau_plus: string | number; tau_minus: string | number; tau_x: string | number; tau_y: string | number; a2_plus: number; a3_plus: number; a2_minus: number; a3_minus: number; w_max: number; w_min?: number }
  | { rule: 'dopamine_stdp'; tau_pre: string | number; tau_post: string | number; a_pre: number; a_post: number; tau_eligibility: string | number; tau_dopamine: string | number; baseline_dopamine?: number; w_max: number; w_min?: number; update_interval?: string | number };

/** A projection from `source` to `target` (optionally sub-ranges [start, end) of the groups). */
export interface SynapseDescription {
  name: string;
  source: string;
  target: string;
  source_range?: [number, number];
  target_range?: [number, number];
  connect: ConnectionRule;
  /** Per-synapse weight `w` (with units); absent when statements use constants only. */
  weight?: ValueSpecification;
  /** Per-synapse delay (default 0: effect in the step of the spike). */
  delay?: ValueSpecification;
  /** Named constants for the statements. */
  parameters?: Record<string, string | number>;
  on_pre: string | Pathway[];
  plasticity?: PlasticityDescription;
}

/** What to record. Spike monitors give SpikeTrains; state and rate monitors give Recordings. */
export type MonitorDescription =
  | { kind: 'spikes'; group: string; name?: string }
  | { kind: 'state'; group: string; variables: string[]; indices: number[]; interval?: string | number; name?: string }
  | { kind: 'rate'; group: string; name?: string };

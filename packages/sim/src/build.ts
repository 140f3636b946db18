import { CajalError, createRandom, type Random } from '@cajal/core';
import { connect } from './connect.ts';
import { type IntegrationMethod, type ParsedModel, type Statement, parseModel, parseQuantity, parseStatements, resolveConstants } from './equations.ts';
import { type Expression, evaluate, inferDimension, namesIn, parseExpression } from './expression.ts';
import { type Assignment, chooseMethod, integrationProgram } from './integration.ts';
import type { MonitorDescription, NetworkDescription, PlasticityDescription, ValueSpecification } from './network.ts';
import { optimizeProgram } from './optimize.ts';
import { type PlasticityRuntime, createPlasticity } from './plasticity.ts';
import { type Precision, type StateArray, roundExpression, roundStatement } from './precision.ts';
import { DIMENSIONLESS, type Dimension, type Quantity, SECOND, expectDimension, lookupUnit } from './units.ts';

/**
 * A network made concrete: flat typed arrays for every per-neuron value, CSR synapse arrays,
 * delay ring buffers, and the state-update program of each group. Built once, shared by all
 * backends (connectivity and initial values come from the seed, so backends start equal).
 */
export interface GroupInstance {
  name: string;
  index: number;
  size: number;
  kind: 'neurons' | 'poisson' | 'spike_times';
  model?: ParsedModel;
  method?: IntegrationMethod;
  program: Assignment[];
  /** Every per-neuron value (state variables and declared values), SI units; Float32Array in single precision. */
  variables: Map<string, StateArray>;
  threshold?: Expression;
  reset: Statement[];
  refractorySteps: number;
  lastSpikeStep: Int32Array;
  regular: Array<{ statements: Statement[]; intervalSteps: number }>;
  /** Poisson groups: spike probability per step. */
  spikeProbability?: Float64Array;
  /** Spike-time generators: step and neuron of each spike, sorted by step. */
  schedule?: { steps: Int32Array; neurons: Int32Array };
  /** Neurons that spiked in the current step (first `spikeCount`). */
  spikes: Int32Array;
  spikeCount: number;
}

/** One on_pre statement of a projection. */
export interface PathwayInstance {
  variable: string;
  sign: 1 | -1;
  /** Increment as an expression of `w` (numbers otherwise). */
  increment: Expression;
  /** Set when the increment does not depend on `w`. */
  constantIncrement: number | undefined;
  /** One delay (steps) for all synapses, or one per synapse. */
  delaySteps: number | Uint16Array;
  ringLength: number;
  ring?: StateArray;
}

export interface ProjectionInstance {
  name: string;
  source: number;
  target: number;
  rowStart: Int32Array;
  targets: Int32Array;
  weights?: Float32Array;
  pathways: PathwayInstance[];
  plasticity?: PlasticityRuntime;
  plasticityRule?: PlasticityDescription;
}

export type MonitorInstance =
  | { kind: 'spikes'; name: string; group: number }
  | { kind: 'state'; name: string; group: number; variables: string[]; indices: Int32Array; intervalSteps: number }
  | { kind: 'rate'; name: string; group: number };

export interface NetworkInstance {
  dtSeconds: number;
  precision: Precision;
  seed: number;
  groups: GroupInstance[];
  projections: ProjectionInstance[];
  monitors: MonitorInstance[];
  /** Seed of the run-time random stream (noise, Poisson input). */
  runtimeSeed: number;
}

/** Time step in seconds from "0.1*ms" or a number of seconds. */
export function parseTimeStep(dt: string | number): number {
  if (typeof dt === 'number') return dt;
  const q = parseQuantity(dt, new Map(), 'dt');
  expectDimension(q.dimension, SECOND, 'dt', 'the time step');
  if (!(q.value > 0)) throw new CajalError('INVALID_ARGUMENT', `dt must be positive, got ${dt}`, { field: 'dt' });
  return q.value;
}

/**
 * Evaluate a value specification for `count` elements: numbers as given (SI), strings as
 * expressions with units that may use rand(), randn(), i, N and `names`.
 */
export function evaluateValues(
  spec: ValueSpecification, count: number, random: Random, where: string,
  names: (name: string, index: number) => number | undefined = () => undefined,
  expected?: Dimension, dimensionOf: (name: string) => Dimension | undefined = () => undefined,
): Float64Array {
  const out = new Float64Array(count);
  if (typeof spec === 'number') return out.fill(spec);
  if (Array.isArray(spec)) {
    if (spec.length !== count) throw new CajalError('INVALID_ARGUMENT', `${where} lists ${spec.length} values for ${count} elements`, { field: where });
    out.set(spec);
    return out;
  }
  const e = parseExpression(spec);
  const dim = inferDimension(e, (n) => (n === 'i' || n === 'N' || n === 'pi' ? DIMENSIONLESS : dimensionOf(n) ?? lookupUnit(n)?.dimension), `${where} = ${spec}`);
  if (expected) expectDimension(dim, expected, `${where} = ${spec}`, 'the value');
  for (let index = 0; index < count; index++) {
    out[index] = evaluate(e, (n) => {
      if (n === 'i') return index;
      if (n === 'N') return count;
      if (n === 'pi') return Math.PI;
      const v = names(n, index);
      if (v !== undefined) return v;
      return (lookupUnit(n) as Quantity).value;
    }, random);
  }
  return out;
}

function dimensionOfSpec(spec: ValueSpecification | undefined, where: string): Dimension | undefined {
  if (typeof spec !== 'string') return undefined;
  return inferDimension(parseExpression(spec), (n) => (n === 'i' || n === 'N' || n === 'pi' ? DIMENSIONLESS : lookupUnit(n)?.dimension), where);
}

/**
 * Instantiate a description: parse and check every model, build connectivity and initial
 * values from `description.seed`. Throws UNIT_MISMATCH / PARSE_ERROR / INVALID_ARGUMENT.
 */
export function buildNetwork(description: NetworkDescription): NetworkInstance {
  const dtSeconds = parseTimeStep(description.dt);
  const seed = description.seed ?? 1;
  const precision = description.precision ?? 'double';
  if (precision !== 'double' && precision !== 'single') throw new CajalError('INVALID_ARGUMENT', `precision must be "double" or "single", got "${String(precision)}"`, { field: 'precision' });
  const single = precision === 'single';
  const StateArrayType = single ? Float32Array : Float64Array;
  const random = createRandom(seed);
  const groups: GroupInstance[] = description.groups.map((g, index) => {
    if (!(Number.isInteger(g.size) && g.size > 0)) throw new CajalError('INVALID_ARGUMENT', `group "${g.name}" has size ${g.size}`, { field: 'size' });
    const base = { name: g.name, index, size: g.size, program: [], variables: new Map<string, StateArray>(), reset: [], refractorySteps: 0, lastSpikeStep: new Int32Array(g.size).fill(-1 << 30), regular: [], spikes: new Int32Array(g.size), spikeCount: 0 };
    if (g.kind === 'poisson') {
      const rate = evaluateValues(g.rate, g.size, random, `${g.name}.rate`, undefined, [0, 0, -1, 0]);
      return { ...base, kind: 'poisson' as const, spikeProbability: rate.map((r) => r * dtSeconds) };
    }
    if (g.kind === 'spike_times') {
      const order = g.times_seconds.map((_, k) => k).sort((a, b) => (g.times_seconds[a] as number) - (g.times_seconds[b] as number));
      const steps = Int32Array.from(order, (k) => Math.round((g.times_seconds[k] as number) / dtSeconds));
      const neurons = Int32Array.from(order, (k) => g.neuron[k] as number);
      for (const n of neurons) if (n < 0 || n >= g.size) throw new CajalError('INVALID_ARGUMENT', `spike_times group "${g.name}" names neuron ${n}`, { field: 'neuron' });
      return { ...base, kind: 'spike_times' as const, schedule: { steps, neurons } };
    }
    const model = parseModel(g.model);
    const method = chooseMethod(model, dtSeconds);
    const variables = new Map<string, StateArray>();
    for (const name of model.variables.keys()) variables.set(name, new StateArrayType(g.size));
    for (const [name, spec] of Object.entries(g.initial ?? {})) {
      const target = variables.get(name);
      if (!target) throw new CajalError('INVALID_ARGUMENT', `initial value for "${name}", which group "${g.name}" does not have`, { field: name });
      target.set(evaluateValues(spec, g.size, random, `${g.name}.${name}`,
        (n, i) => variables.get(n)?.[i] ?? model.parameters.get(n)?.value,
        model.variables.get(name), (n) => model.variables.get(n) ?? model.parameters.get(n)?.dimension));
    }
    let program = optimizeProgram(integrationProgram(model, dtSeconds, method));
    let threshold = model.threshold;
    let reset = model.reset;
    let regular = model.regular.map((r) => ({ statements: r.statements, intervalSteps: Math.max(1, Math.round(r.intervalSeconds / dtSeconds)) }));
    if (single) {
      // every backend evaluates the same float32-rounded trees (see precision.ts)
      const exact = new Set([...variables.keys(), ...program.map((a) => a.target)]);
      program = program.map((a) => ({ ...a, expression: roundExpression(a.expression, exact) }));
      threshold = threshold && roundExpression(threshold, exact);
      reset = reset.map((r) => roundStatement(r, exact));
      regular = regular.map((r) => ({ ...r, statements: r.statements.map((x) => roundStatement(x, exact)) }));
    }
    return {
      ...base, kind: 'neurons' as const, model, method, variables, program, reset, regular,
      ...(threshold ? { threshold } : {}),
      refractorySteps: Math.round(model.refractorySeconds / dtSeconds),
    };
  });
  const groupIndex = (name: string, field: string): number => {
    const i = groups.findIndex((g) => g.name === name);
    if (i < 0) throw new CajalError('INVALID_ARGUMENT', `no group named "${name}"`, { field });
    return i;
  };
  const projections: ProjectionInstance[] = (description.synapses ?? []).map((s) => {
    const source = groups[groupIndex(s.source, 'source')] as GroupInstance;
    const target = groups[groupIndex(s.target, 'target')] as GroupInstance;
    const { rowStart, targets } = connect(s.connect, s.source_range ?? [0, source.size], s.target_range ?? [0, target.size], source.size, target.size, random);
    const count = targets.length;
    const parameters = new Map<string, Quantity>();
    for (const [name, value] of Object.entries(s.parameters ?? {})) parameters.set(name, parseQuantity(value, parameters, `${s.name}.${name}`));
    const weightDimension = dimensionOfSpec(s.weight, `${s.name}.weight`);
    let weights: Float32Array | undefined;
    if (s.weight !== undefined) weights = Float32Array.from(evaluateValues(s.weight, count, random, `${s.name}.weight`));
    const delayToSteps = (spec: ValueSpecification | undefined): number | Uint16Array => {
      if (spec === undefined) return 0;
      const seconds = evaluateValues(spec, typeof spec === 'string' && /rand/.test(spec) ? count : 1, random, `${s.name}.delay`, undefined, SECOND);
      if (seconds.length === 1 && !Array.isArray(spec)) return Math.round((seconds[0] as number) / dtSeconds);
      const steps = new Uint16Array(seconds.length);
      seconds.forEach((v, k) => {
        steps[k] = Math.round(v / dtSeconds);
      });
      return steps;
    };
    const synapseDelay = delayToSteps(s.delay);
    const pathwaySpecs = typeof s.on_pre === 'string' ? [{ statements: s.on_pre }] : s.on_pre;
    const pathways: PathwayInstance[] = [];
    for (const p of pathwaySpecs) {
      const delaySteps = p.delay !== undefined ? delayToSteps(p.delay) : synapseDelay;
      for (const statement of parseStatements(p.statements)) {
        const variable = statement.target.replace(/_post$/, '');
        const targetDim = target.model?.variables.get(variable);
        if (!targetDim) throw new CajalError('INVALID_ARGUMENT', `"${statement.source}" in synapses "${s.name}": group "${target.name}" has no variable "${variable}"`, { field: 'on_pre' });
        if (statement.op !== '+=' && statement.op !== '-=') throw new CajalError('INVALID_ARGUMENT', `"${statement.source}" in synapses "${s.name}": only += and -= are supported on_pre`, { field: 'on_pre' });
        const usesWeight = namesIn(statement.expression).has('w');
        if (usesWeight && !weights) throw new CajalError('INVALID_ARGUMENT', `"${statement.source}" uses w but synapses "${s.name}" have no weight`, { field: 'weight' });
        if (!(usesWeight && weightDimension === undefined)) {
          const d = inferDimension(statement.expression, (n) => (n === 'w' ? weightDimension : parameters.get(n)?.dimension ?? lookupUnit(n)?.dimension), statement.source);
          expectDimension(d, targetDim, statement.source, 'the increment');
        }
        const resolved = resolveConstants(statement.expression, parameters, (n) => n === 'w');
        const increment = single ? roundExpression(resolved, new Set(['w'])) : resolved;
        const maxDelay = typeof delaySteps === 'number' ? delaySteps : delaySteps.reduce((m, d) => Math.max(m, d), 0);
        const ringLength = maxDelay + 1;
        pathways.push({
          variable, sign: statement.op === '+=' ? 1 : -1, increment,
          constantIncrement: increment.kind === 'number' ? increment.value : undefined,
          delaySteps, ringLength,
          ...(maxDelay > 0 ? { ring: new StateArrayType(ringLength * target.size) } : {}),
        });
      }
    }
    const projection: ProjectionInstance = { name: s.name, source: source.index, target: target.index, rowStart, targets, pathways, ...(weights ? { weights } : {}) };
    if (s.plasticity) {
      if (!weights) throw new CajalError('INVALID_ARGUMENT', `plastic synapses "${s.name}" need a weight`, { field: 'weight' });
      projection.plasticity = createPlasticity(s.plasticity, { sourceSize: source.size, targetSize: target.size, rowStart, targets, weights }, dtSeconds);
      projection.plasticityRule = s.plasticity;
    }
    return projection;
  });
  const monitors: MonitorInstance[] = (description.monitors ?? []).map((m: MonitorDescription, k) => {
    const group = groupIndex(m.group, 'monitors');
    const name = m.name ?? `${m.kind}_${m.group}_${k}`;
    if (m.kind === 'state') {
      const g = groups[group] as GroupInstance;
      for (const v of m.variables) if (!g.variables.has(v)) throw new CajalError('INVALID_ARGUMENT', `state monitor: group "${g.name}" has no variable "${v}"`, { field: 'variables' });
      for (const i of m.indices) if (!(i >= 0 && i < g.size)) throw new CajalError('INVALID_ARGUMENT', `state monitor: index ${i} outside group "${g.name}"`, { field: 'indices' });
      const interval = m.interval === undefined ? dtSeconds : parseTimeStep(m.interval);
      return { kind: 'state', name, group, variables: m.variables, indices: Int32Array.from(m.indices), intervalSteps: Math.max(1, Math.round(interval / dtSeconds)) };
    }
    return { kind: m.kind, name, group };
  });
  return { dtSeconds, precision, seed, groups, projections, monitors, runtimeSeed: (seed * 2654435761 + 12345) >>> 0 };
}

import { CajalError } from '@cajal/core';
import {
  type Expression, constantValue, evaluate, inferDimension, isStochastic, namesIn, parseExpression, substitute,
} from './expression.ts';
import { DIMENSIONLESS, type Dimension, type Quantity, SECOND, divideDimensions, expectDimension, lookupUnit } from './units.ts';

/** Integration methods. `exact` needs linear equations with constant coefficients. */
export type IntegrationMethod = 'exact' | 'euler' | 'rk2' | 'rk4' | 'exponential_euler';

/**
 * A neuron model as data, Brian-style. Equations are lines of
 * `dX/dt = expression : unit [(unless refractory)]` (a state variable),
 * `X = expression : unit` (a named subexpression) or `X : unit [(constant)]` (a per-neuron value).
 * Parameters are group-wide constants written with units ("20*ms", "-60*mV", "6*nS").
 *
 * @example
 *   const lif: NeuronModelDescription = {
 *     equations: 'dv/dt = (El - v + R*I) / tau : volt (unless refractory)\nI : amp',
 *     threshold: 'v > -50*mV', reset: 'v = -60*mV', refractory: '2*ms', method: 'exact',
 *     parameters: { El: '-60*mV', tau: '20*ms', R: '100*Mohm' },
 *   };
 */
export interface NeuronModelDescription {
  equations: string;
  /** Condition for a spike, e.g. "v > Vt". Absent: the group never spikes. */
  threshold?: string;
  /** Statements run on a spike, e.g. "v = c; u += d". */
  reset?: string;
  /** Refractory period ("5*ms"), during which threshold is off and `(unless refractory)` variables are held. */
  refractory?: string | number;
  /** Default: exact when the equations allow it, else euler. */
  method?: IntegrationMethod;
  /** Group-wide constants (strings with units, numbers are dimensionless). */
  parameters?: Record<string, string | number>;
  /** Statements run every `interval` at the start of a step (Brian's run_regularly), e.g. noise. */
  regular?: Array<{ statements: string; interval: string | number }>;
}

/** One assignment statement of a reset, on_pre or regular operation. */
export interface Statement {
  target: string;
  op: '=' | '+=' | '-=' | '*=';
  expression: Expression;
  source: string;
}

/** A model after parsing, unit checking and parameter substitution (all values SI). */
export interface ParsedModel {
  /** Differential state variables in declaration order. */
  states: string[];
  /** Per-neuron values (states first, then declared per-neuron values), with dimensions. */
  variables: Map<string, Dimension>;
  /** States that stay fixed while refractory. */
  unlessRefractory: Set<string>;
  /** Right-hand side of each dX/dt, subexpressions and parameters substituted. */
  derivatives: Map<string, Expression>;
  /** Source line of each equation, for messages. */
  equationText: Map<string, string>;
  parameters: Map<string, Quantity>;
  threshold: Expression | undefined;
  reset: Statement[];
  refractorySeconds: number;
  method: IntegrationMethod | undefined;
  regular: Array<{ statements: Statement[]; intervalSeconds: number }>;
}

const SPECIAL: Record<string, Dimension> = { t: SECOND, dt: SECOND, not_refractory: DIMENSIONLESS, i: DIMENSIONLESS, N: DIMENSIONLESS };

/** Evaluate a parameter value such as "-60*mV" (may use units and earlier parameters). */
export function parseQuantity(text: string | number, known: Map<string, Quantity> = new Map(), where = String(text)): Quantity {
  if (typeof text === 'number') return { value: text, dimension: DIMENSIONLESS };
  const e = parseExpression(text);
  const resolve = (name: string): Quantity | undefined => known.get(name) ?? (name === 'pi' ? { value: Math.PI, dimension: DIMENSIONLESS } : lookupUnit(name));
  const dimension = inferDimension(e, (n) => resolve(n)?.dimension, where);
  const value = evaluate(e, (n) => (resolve(n) as Quantity).value);
  return { value, dimension };
}

/** Parse "v = c; u += d" (separated by ";" or new lines). */
export function parseStatements(text: string): Statement[] {
  return text
    .split(/[;\n]/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0 && !s.startsWith('#'))
    .map((source) => {
      const m = /^([A-Za-z_][A-Za-z0-9_]*)\s*(\+=|-=|\*=|=)\s*(.+)$/.exec(source);
      if (!m) throw new CajalError('PARSE_ERROR', `cannot read statement "${source}" (expected "name = expression")`, { field: source });
      return { target: m[1] as string, op: m[2] as Statement['op'], expression: parseExpression(m[3] as string), source };
    });
}

/** Replace parameter and unit names by numbers and fold constant parts. */
export function resolveConstants(e: Expression, parameters: Map<string, Quantity>, keep: (name: string) => boolean): Expression {
  const replaced = substitute(e, (name) => {
    if (keep(name)) return undefined;
    const p = parameters.get(name);
    if (p) return { kind: 'number', value: p.value };
    if (name === 'pi') return { kind: 'number', value: Math.PI };
    const u = lookupUnit(name);
    if (u) return { kind: 'number', value: u.value };
    return undefined;
  });
  return fold(replaced);
}

/** Fold sub-expressions without names into numbers. */
export function fold(e: Expression): Expression {
  if (e.kind === 'number' || e.kind === 'name') return e;
  if (namesIn(e).size === 0 && !isStochastic(e)) {
    const v = constantValue(e);
    if (v !== undefined) return { kind: 'number', value: v };
  }
  switch (e.kind) {
    case 'unary': return { ...e, argument: fold(e.argument) };
    case 'select': return { kind: 'select', test: fold(e.test), then: fold(e.then), otherwise: fold(e.otherwise) };
    case 'call': return { ...e, args: e.args.map(fold) };
    case 'binary': return { ...e, left: fold(e.left), right: fold(e.right) };
  }
}

/**
 * Parse and unit-check a model. Throws UNIT_MISMATCH naming the equation when a side's
 * dimension is wrong (e.g. `dv/dt = (El - v) : volt` lacks a time constant), PARSE_ERROR for
 * unreadable lines.
 */
export function parseModel(model: NeuronModelDescription): ParsedModel {
  const parameters = new Map<string, Quantity>();
  for (const [name, value] of Object.entries(model.parameters ?? {})) parameters.set(name, parseQuantity(value, parameters, `${name} = ${value}`));
  const states: string[] = [];
  const variables = new Map<string, Dimension>();
  const unlessRefractory = new Set<string>();
  const rawDerivatives = new Map<string, Expression>();
  const subexpressions = new Map<string, { expression: Expression; dimension: Dimension; line: string }>();
  const equationText = new Map<string, string>();
  const lines = model.equations.split('\n').map((l) => l.replace(/#.*$/, '').trim()).filter((l) => l.length > 0);
  for (const line of lines) {
    const m = /^(?:d([A-Za-z_][A-Za-z0-9_]*)\/dt|([A-Za-z_][A-Za-z0-9_]*))\s*(?:=\s*(.+?))?\s*:\s*([^(]+?)\s*(?:\(([^)]*)\))?$/.exec(line);
    if (!m) throw new CajalError('PARSE_ERROR', `cannot read equation "${line}" (expected "dx/dt = expression : unit")`, { field: line });
    const flags = (m[5] ?? '').split(',').map((f) => f.trim()).filter(Boolean);
    const unitText = (m[4] as string).trim();
    const unit = parseQuantity(unitText === '1' ? 1 : unitText, new Map(), line);
    const dimension = unit.dimension;
    if (m[1]) {
      const name = m[1];
      if (m[3] === undefined) throw new CajalError('PARSE_ERROR', `equation "${line}" has no right-hand side`, { field: line });
      states.push(name);
      variables.set(name, dimension);
      rawDerivatives.set(name, parseExpression(m[3]));
      equationText.set(name, line);
      if (flags.includes('unless refractory')) unlessRefractory.add(name);
    } else if (m[3] !== undefined) {
      subexpressions.set(m[2] as string, { expression: parseExpression(m[3]), dimension, line });
    } else {
      variables.set(m[2] as string, dimension);
    }
  }
  const dimensionOf = (name: string): Dimension | undefined =>
    variables.get(name) ?? subexpressions.get(name)?.dimension ?? parameters.get(name)?.dimension ?? SPECIAL[name] ??
    (name === 'pi' ? DIMENSIONLESS : lookupUnit(name)?.dimension);
  for (const [, sub] of subexpressions) expectDimension(inferDimension(sub.expression, dimensionOf, sub.line), sub.dimension, sub.line, 'the right-hand side');
  const keep = (name: string): boolean => variables.has(name) || name in SPECIAL;
  const expand = (e: Expression, depth = 0): Expression => {
    if (depth > 20) throw new CajalError('INVALID_ARGUMENT', 'subexpressions refer to each other in a cycle');
    return substitute(e, (name) => {
      const sub = subexpressions.get(name);
      return sub ? expand(sub.expression, depth + 1) : undefined;
    });
  };
  const derivatives = new Map<string, Expression>();
  for (const name of states) {
    const line = equationText.get(name) as string;
    const rhs = rawDerivatives.get(name) as Expression;
    expectDimension(inferDimension(rhs, dimensionOf, line), divideDimensions(variables.get(name) as Dimension, SECOND), line, 'the right-hand side');
    derivatives.set(name, resolveConstants(expand(rhs), parameters, keep));
  }
  const checkStatements = (text: string): Statement[] =>
    parseStatements(text).map((s) => {
      const target = variables.get(s.target);
      if (!target) throw new CajalError('INVALID_ARGUMENT', `"${s.source}" assigns to "${s.target}", which is not a variable of the model`, { field: s.source });
      const d = inferDimension(s.expression, dimensionOf, s.source);
      expectDimension(d, s.op === '*=' ? DIMENSIONLESS : target, s.source, 'the right-hand side');
      return { ...s, expression: resolveConstants(expand(s.expression), parameters, keep) };
    });
  let threshold: Expression | undefined;
  if (model.threshold) {
    const e = parseExpression(model.threshold);
    inferDimension(e, dimensionOf, model.threshold);
    threshold = resolveConstants(expand(e), parameters, keep);
  }
  const refractory = model.refractory === undefined ? { value: 0, dimension: SECOND } : parseQuantity(model.refractory, parameters, 'refractory');
  if (model.refractory !== undefined && typeof model.refractory !== 'number') expectDimension(refractory.dimension, SECOND, 'refractory', 'the refractory period');
  return {
    states, variables, unlessRefractory, derivatives, equationText, parameters, threshold,
    reset: model.reset ? checkStatements(model.reset) : [],
    refractorySeconds: refractory.value,
    method: model.method,
    regular: (model.regular ?? []).map((r) => {
      const interval = parseQuantity(r.interval, parameters, 'interval');
      return { statements: checkStatements(r.statements), intervalSeconds: typeof r.interval === 'number' ? r.interval : interval.value };
    }),
  };
}

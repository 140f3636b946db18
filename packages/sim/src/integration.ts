import { CajalError } from '@cajal/core';
import { type Expression, affineDegree, constantValue, evaluate, namesIn, substitute } from './expression.ts';
import { type IntegrationMethod, type ParsedModel, fold } from './equations.ts';

/**
 * State-update programs: what one time step does to each neuron, as a list of assignments in
 * the expression language. Both backends run the same program (the interpreter evaluates it,
 * the compiler emits it as JS), which is why their results agree bit for bit.
 * Temporaries start with "__". `not_refractory` is 1 or 0, `t` the time at the step's start.
 */
export interface Assignment {
  target: string;
  expression: Expression;
}

const num = (value: number): Expression => ({ kind: 'number', value });
const name = (n: string): Expression => ({ kind: 'name', name: n });
const add = (left: Expression, right: Expression): Expression => ({ kind: 'binary', op: '+', left, right });
const sub = (left: Expression, right: Expression): Expression => ({ kind: 'binary', op: '-', left, right });
const mul = (left: Expression, right: Expression): Expression => ({ kind: 'binary', op: '*', left, right });
const div = (left: Expression, right: Expression): Expression => ({ kind: 'binary', op: '/', left, right });

/** Which method applies: the requested one (checked), else exact when possible, else euler. */
export function chooseMethod(model: ParsedModel, dtSeconds: number): IntegrationMethod {
  if (model.method) return model.method;
  try {
    exactProgram(model, dtSeconds);
    return 'exact';
  } catch {
    return 'euler';
  }
}

/**
 * Build the update program for one step of `dtSeconds`.
 *
 * @example
 *   integrationProgram(parseModel(lif), 1e-4, 'exact'); // [{ target: '__n_v', ... }, { target: 'v', ... }]
 */
export function integrationProgram(model: ParsedModel, dtSeconds: number, method: IntegrationMethod): Assignment[] {
  if (model.states.length === 0) return [];
  switch (method) {
    case 'exact': return exactProgram(model, dtSeconds);
    case 'euler': return rungeKuttaProgram(model, dtSeconds, [[]], [1]);
    case 'rk2': return rungeKuttaProgram(model, dtSeconds, [[], [0.5]], [0, 1]);
    case 'rk4': return rungeKuttaProgram(model, dtSeconds, [[], [0.5], [0, 0.5], [0, 0, 1]], [1 / 6, 1 / 3, 1 / 3, 1 / 6]);
    case 'exponential_euler': return exponentialEulerProgram(model, dtSeconds);
    default: throw new CajalError('INVALID_ARGUMENT', `unknown integration method "${String(method)}"`, { field: 'method' });
  }
}

function masked(model: ParsedModel, state: string, e: Expression): Expression {
  return model.unlessRefractory.has(state) ? { kind: 'select', test: name('not_refractory'), then: e, otherwise: num(0) } : e;
}

/** Explicit Runge-Kutta with tableau rows `a` and weights `b` (Euler, midpoint RK2, classic RK4). */
function rungeKuttaProgram(model: ParsedModel, dt: number, a: number[][], b: number[]): Assignment[] {
  const program: Assignment[] = [];
  a.forEach((row, stage) => {
    const shifted = new Map<string, Expression>();
    for (const s of model.states) {
      let increment: Expression | undefined;
      row.forEach((coefficient, j) => {
        if (coefficient === 0) return;
        const term = mul(num(coefficient * dt), name(`__k${j}_${s}`));
        increment = increment ? add(increment, term) : term;
      });
      if (increment) shifted.set(s, add(name(s), increment));
    }
    const timeShift = row.reduce((sum, c) => sum + c, 0) * dt;
    for (const s of model.states) {
      let f = model.derivatives.get(s) as Expression;
      f = substitute(f, (n) => shifted.get(n) ?? (n === 't' && timeShift !== 0 ? add(name('t'), num(timeShift)) : undefined));
      program.push({ target: `__k${stage}_${s}`, expression: masked(model, s, f) });
    }
  });
  for (const s of model.states) {
    let total: Expression | undefined;
    b.forEach((weight, j) => {
      if (weight === 0) return;
      const term = mul(num(weight * dt), name(`__k${j}_${s}`));
      total = total ? add(total, term) : term;
    });
    program.push({ target: s, expression: add(name(s), total as Expression) });
  }
  return program;
}

/** Exponential Euler: x' = A x + B with A, B from the start of the step (variables linear in themselves), Euler otherwise. */
function exponentialEulerProgram(model: ParsedModel, dt: number): Assignment[] {
  const program: Assignment[] = [];
  const linear = new Set<string>();
  for (const s of model.states) {
    const f = model.derivatives.get(s) as Expression;
    if (affineDegree(f, new Set([s])) <= 1) {
      linear.add(s);
      const at = (value: number): Expression => substitute(f, (n) => (n === s ? num(value) : undefined));
      program.push({ target: `__B_${s}`, expression: fold(at(0)) });
      program.push({ target: `__A_${s}`, expression: fold(sub(at(1), at(0))) });
    } else {
      program.push({ target: `__k0_${s}`, expression: f });
    }
  }
  for (const s of model.states) {
    let next: Expression;
    if (linear.has(s)) {
      const A = name(`__A_${s}`);
      const B = name(`__B_${s}`);
      const ratio = div(B, A);
      next = {
        kind: 'select',
        test: { kind: 'binary', op: '==', left: A, right: num(0) },
        then: add(name(s), mul(num(dt), B)),
        otherwise: add({ kind: 'unary', op: '-', argument: ratio }, mul(add(name(s), ratio), { kind: 'call', name: 'exp', args: [mul(A, num(dt))] })),
      };
    } else {
      next = add(name(s), mul(num(dt), name(`__k0_${s}`)));
    }
    if (model.unlessRefractory.has(s)) next = { kind: 'select', test: name('not_refractory'), then: next, otherwise: name(s) };
    program.push({ target: `__n_${s}`, expression: next });
  }
  for (const s of model.states) program.push({ target: s, expression: name(`__n_${s}`) });
  return program;
}

/**
 * Exact integration of x' = M x + b(t, per-neuron values) with constant M: x(t+dt) = E x + F b,
 * E = exp(M dt), F = integral of exp(M s) ds over [0, dt] (both from one matrix exponential of
 * [[M, I], [0, 0]] dt). b is held over the step. Refractory-held states use M and b with their
 * rows zeroed.
 */
function exactProgram(model: ParsedModel, dt: number): Assignment[] {
  const states = model.states;
  const n = states.length;
  const stateSet = new Set(states);
  const M: number[][] = [];
  const constants: Expression[] = [];
  for (const s of states) {
    const f = model.derivatives.get(s) as Expression;
    if (affineDegree(f, stateSet) > 1) {
      throw new CajalError('INVALID_ARGUMENT', `method "exact" needs linear equations, but "${model.equationText.get(s)}" is not linear in the state variables`, { field: 'method' });
    }
    const zero = substitute(f, (x) => (stateSet.has(x) ? num(0) : undefined));
    constants.push(fold(zero));
    const row: number[] = [];
    for (const other of states) {
      const unit = substitute(f, (x) => (stateSet.has(x) ? num(x === other ? 1 : 0) : undefined));
      const coefficient = numericCoefficient(sub(unit, zero));
      if (coefficient === undefined) {
        throw new CajalError('INVALID_ARGUMENT', `method "exact" needs constant coefficients, but in "${model.equationText.get(s)}" the factor of ${other} depends on ${[...namesIn(fold(sub(unit, zero)))].join(', ')}`, { field: 'method' });
      }
      row.push(coefficient);
    }
    M.push(row);
  }
  const propagators = (rowsHeld: Set<number>): { E: number[][]; F: number[][] } => {
    const big = Array.from({ length: 2 * n }, () => new Array<number>(2 * n).fill(0));
    for (let i = 0; i < n; i++) {
      if (rowsHeld.has(i)) continue;
      for (let j = 0; j < n; j++) (big[i] as number[])[j] = (M[i] as number[])[j] as number * dt;
      (big[i] as number[])[n + i] = dt;
    }
    const X = matrixExponential(big);
    return {
      E: X.slice(0, n).map((r) => r.slice(0, n)),
      F: X.slice(0, n).map((r) => r.slice(n, 2 * n)),
    };
  };
  const free = propagators(new Set());
  const heldRows = new Set(states.map((s, i) => (model.unlessRefractory.has(s) ? i : -1)).filter((i) => i >= 0));
  const held = heldRows.size > 0 ? propagators(heldRows) : free;
  const program: Assignment[] = [];
  constants.forEach((c, i) => {
    if (!(c.kind === 'number' && c.value === 0)) program.push({ target: `__b_${states[i]}`, expression: c });
  });
  const hasB = new Set(program.map((p) => p.target.slice(4)));
  const rowExpression = (E: number[][], F: number[][], i: number): Expression => {
    let total: Expression | undefined;
    const push = (term: Expression): void => {
      total = total ? add(total, term) : term;
    };
    states.forEach((s, j) => {
      const e = (E[i] as number[])[j] as number;
      if (e !== 0) push(e === 1 ? name(s) : mul(num(e), name(s)));
    });
    states.forEach((s, j) => {
      const f = (F[i] as number[])[j] as number;
      if (f !== 0 && hasB.has(s)) push(mul(num(f), name(`__b_${s}`)));
    });
    return total ?? num(0);
  };
  states.forEach((s, i) => {
    const a = rowExpression(free.E, free.F, i);
    const b = rowExpression(held.E, held.F, i);
    const same = JSON.stringify(a) === JSON.stringify(b);
    program.push({ target: `__n_${s}`, expression: same ? a : { kind: 'select', test: name('not_refractory'), then: a, otherwise: b } });
  });
  for (const s of states) program.push({ target: s, expression: name(`__n_${s}`) });
  return program;
}

/**
 * The value of an expression that should not depend on its names (a coefficient of an affine
 * function), checked by evaluating it at two unrelated sets of values; undefined if it does.
 */
function numericCoefficient(e: Expression): number | undefined {
  const direct = constantValue(fold(e));
  if (direct !== undefined) return direct;
  const at = (salt: number): number => evaluate(e, (n) => 0.37 + salt * ((n.length * 7919) % 13) + salt * 0.11);
  const a = at(1);
  const b = at(2.5);
  return Number.isFinite(a) && Math.abs(a - b) <= 1e-9 * Math.max(1, Math.abs(a)) ? a : undefined;
}

/** exp(A) by scaling and squaring with a Taylor series (A small after scaling). */
export function matrixExponential(A: number[][]): number[][] {
  const n = A.length;
  const norm = Math.max(0, ...A.map((r) => r.reduce((s, x) => s + Math.abs(x), 0)));
  const squarings = Math.max(0, Math.ceil(Math.log2(norm / 0.25)) || 0);
  const scale = 2 ** -squarings;
  const S = A.map((r) => r.map((x) => x * scale));
  const identity = (): number[][] => Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 1 : 0)));
  const product = (X: number[][], Y: number[][]): number[][] =>
    X.map((row) => Array.from({ length: n }, (_, j) => row.reduce((s, x, k) => s + x * ((Y[k] as number[])[j] as number), 0)));
  let result = identity();
  let term = identity();
  for (let k = 1; k <= 20; k++) {
    term = product(term, S).map((r) => r.map((x) => x / k));
    result = result.map((r, i) => r.map((x, j) => x + ((term[i] as number[])[j] as number)));
  }
  for (let i = 0; i < squarings; i++) result = product(result, result);
  return result;
}

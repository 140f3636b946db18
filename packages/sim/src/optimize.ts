import { type Expression, constantValue, isStochastic, namesIn, substitute } from './expression.ts';
import type { Assignment } from './integration.ts';

/**
 * Algebraic clean-up of update programs before any backend sees them (so the compiler and the
 * reference interpreter still evaluate the very same tree and agree bit for bit):
 * - constant sub-expressions fold to numbers;
 * - division by a constant becomes multiplication by its reciprocal (a divide costs 4-5x a
 *   multiply and is not pipelined as well; C compilers do this under -ffast-math);
 * - numeric factors of a product gather into one (dt * (x * 50) -> x * 0.005);
 * - a constant factor of a choice goes into both branches ((c ? a : 0) * k -> c ? a * k : 0);
 * - x + x * c -> x * (1 + c) and x - x * c -> x * (1 - c), for c a number (an Euler step of a
 *   linear decay becomes one multiply);
 * - 0 - x -> -x, x + 0 -> x, x * 1 -> x, a + (-b) -> a - b, a - (-b) -> a + b.
 * Results change only by rounding (a few ulp), never in meaning.
 *
 * @example
 *   optimizeExpression(parseExpression('v + 0.0001 * ((-0.06 - v) / 0.02)'));
 */
export function optimizeExpression(e: Expression): Expression {
  const num = (value: number): Expression => ({ kind: 'number', value });
  const isNumber = (x: Expression): x is { kind: 'number'; value: number } => x.kind === 'number';
  const visit = (x: Expression): Expression => {
    if (x.kind === 'number' || x.kind === 'name') return x;
    if (!isStochastic(x) && namesIn(x).size === 0) {
      const v = constantValue(x);
      if (v !== undefined && Number.isFinite(v)) return num(v);
    }
    switch (x.kind) {
      case 'unary': {
        const a = visit(x.argument);
        if (x.op === '-' && a.kind === 'unary' && a.op === '-') return a.argument;
        return { ...x, argument: a };
      }
      case 'select': return { kind: 'select', test: visit(x.test), then: visit(x.then), otherwise: visit(x.otherwise) };
      case 'call': return { ...x, args: x.args.map(visit) };
      case 'binary': {
        const left = visit(x.left);
        const right = visit(x.right);
        if (x.op === '/' && isNumber(right) && right.value !== 0 && Number.isFinite(1 / right.value)) return product({ kind: 'binary', op: '*', left, right: num(1 / right.value) });
        if (x.op === '*') return product({ kind: 'binary', op: '*', left, right });
        if (x.op === '-' && isNumber(left) && left.value === 0) return { kind: 'unary', op: '-', argument: right };
        if ((x.op === '+' || x.op === '-') && isNumber(right) && right.value === 0) return left;
        if ((x.op === '+' || x.op === '-') && left.kind === 'name' && right.kind === 'binary' && right.op === '*' && right.left.kind === 'name' && right.left.name === left.name && isNumber(right.right)) {
          return product({ kind: 'binary', op: '*', left, right: num(x.op === '+' ? 1 + right.right.value : 1 - right.right.value) });
        }
        if (x.op === '+' && isNumber(left) && left.value === 0) return right;
        // a + (-b) is a - b and a - (-b) is a + b, exactly (IEEE 754 defines x - y as x + (-y)): one negation less
        if ((x.op === '+' || x.op === '-') && right.kind === 'unary' && right.op === '-') return { kind: 'binary', op: x.op === '+' ? '-' : '+', left, right: right.argument };
        return { ...x, left, right };
      }
    }
  };
  return visit(e);
}

/** Flatten a product, multiply its numeric factors together and put the constant last. */
function product(e: Expression): Expression {
  const factors: Expression[] = [];
  let constant = 1;
  let negate = false;
  const collect = (x: Expression): void => {
    if (x.kind === 'binary' && x.op === '*') {
      collect(x.left);
      collect(x.right);
    } else if (x.kind === 'number') constant *= x.value;
    else if (x.kind === 'unary' && x.op === '-') {
      negate = !negate;
      collect(x.argument);
    } else factors.push(x);
  };
  collect(e);
  if (negate) constant = -constant;
  if (factors.length === 0) return { kind: 'number', value: constant };
  const only = factors[0] as Expression;
  if (factors.length === 1 && only.kind === 'select' && constant !== 1) {
    // (c ? a : b) * k is c ? a * k : b * k lane by lane, exactly
    const scaled = (branch: Expression): Expression => product({ kind: 'binary', op: '*', left: branch, right: { kind: 'number', value: constant } });
    return { kind: 'select', test: only.test, then: scaled(only.then), otherwise: scaled(only.otherwise) };
  }
  let out = factors[0] as Expression;
  for (let k = 1; k < factors.length; k++) out = { kind: 'binary', op: '*', left: out, right: factors[k] as Expression };
  if (constant === 1) return out;
  if (constant === -1) return { kind: 'unary', op: '-', argument: out };
  return { kind: 'binary', op: '*', left: out, right: { kind: 'number', value: constant } };
}

/** How many times `name` is read in `e`. */
function reads(e: Expression, name: string): number {
  switch (e.kind) {
    case 'number': return 0;
    case 'name': return e.name === name ? 1 : 0;
    case 'unary': return reads(e.argument, name);
    case 'select': return reads(e.test, name) + reads(e.then, name) + reads(e.otherwise, name);
    case 'call': return e.args.reduce((sum, a) => sum + reads(a, name), 0);
    case 'binary': return reads(e.left, name) + reads(e.right, name);
  }
}

/**
 * optimizeExpression on every statement of an update program, after inlining each temporary
 * (a target starting with "__") that one later statement reads once, when nothing the temporary
 * reads is assigned in between and it draws no random numbers. An Euler step's k-term then sits
 * in its state's update, where its factors gather: `__k0_ge = ge * -200; ge = ge + __k0_ge * dt`
 * becomes `ge = ge * 0.98`.
 *
 * @example
 *   optimizeProgram(integrationProgram(parseModel(coba), 1e-4, 'euler'));
 */
export function optimizeProgram(program: Assignment[]): Assignment[] {
  const out = program.map((a) => ({ ...a, expression: optimizeExpression(a.expression) }));
  for (let i = 0; i < out.length; i++) {
    const temp = out[i] as Assignment;
    if (!temp.target.startsWith('__') || isStochastic(temp.expression)) continue;
    const users = out.map((a, k) => (reads(a.expression, temp.target) > 0 ? k : -1)).filter((k) => k >= 0);
    const use = users[0];
    if (users.length !== 1 || use === undefined || use <= i || reads((out[use] as Assignment).expression, temp.target) !== 1) continue;
    if (out.some((a, k) => k !== i && a.target === temp.target)) continue;
    const inputs = namesIn(temp.expression);
    if (out.slice(i + 1, use).some((a) => inputs.has(a.target))) continue;
    const user = out[use] as Assignment;
    out[use] = { ...user, expression: optimizeExpression(substitute(user.expression, (n) => (n === temp.target ? temp.expression : undefined))) };
    out.splice(i, 1);
    i--;
  }
  return out;
}

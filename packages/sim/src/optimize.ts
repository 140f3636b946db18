import { type Expression, constantValue, isStochastic, namesIn } from './expression.ts';

/**
 * Algebraic clean-up of update programs before any backend sees them (so the compiler and the
 * reference interpreter still evaluate the very same tree and agree bit for bit):
 * - constant sub-expressions fold to numbers;
 * - division by a constant becomes multiplication by its reciprocal (a divide costs 4-5x a
 *   multiply and is not pipelined as well; C compilers do this under -ffast-math);
 * - numeric factors of a product gather into one (dt * (x * 50) -> x * 0.005);
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
  let out = factors[0] as Expression;
  for (let k = 1; k < factors.length; k++) out = { kind: 'binary', op: '*', left: out, right: factors[k] as Expression };
  if (constant === 1) return out;
  if (constant === -1) return { kind: 'unary', op: '-', argument: out };
  return { kind: 'binary', op: '*', left: out, right: { kind: 'number', value: constant } };
}

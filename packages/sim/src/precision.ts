import type { Statement } from './equations.ts';
import type { Expression } from './expression.ts';
import { constantValue } from './expression.ts';

/**
 * Single precision ("float32") as a rewrite of the update programs, so that every backend gets
 * it from the same trees: each arithmetic result, each constant and each name that is not
 * already a float32 value is wrapped in `fround` (rounding to the nearest float32). For + - * /
 * and sqrt on float32 operands, computing in float64 and rounding once gives exactly the float32
 * operation's result (53 >= 2 * 24 + 2 bits), so the interpreter and generated JavaScript
 * (Math.fround) agree bit for bit with WebAssembly f32x4 arithmetic, where `fround` is a no-op.
 * Powers 2 and 3 become products (rounded after each multiply, as f32 multiplies are).
 *
 * @example
 *   roundExpression(parseExpression('v + dt * k'), new Set(['v', 'k']));
 *   // fround(v + fround(fround(dt) * k))
 */
const call = (argument: Expression): Expression => ({ kind: 'call', name: 'fround', args: [argument] });
const EXACT_CALLS = new Set(['abs', 'floor', 'clip', 'fround']);

/** `e` with float32 rounding after every operation; `exact` lists names already holding float32 values. */
export function roundExpression(e: Expression, exact: ReadonlySet<string>): Expression {
  const visit = (x: Expression): Expression => {
    switch (x.kind) {
      case 'number':
        return { kind: 'number', value: Math.fround(x.value) };
      case 'name':
        return exact.has(x.name) || x.name === 'not_refractory' ? x : call(x);
      case 'unary':
        return { ...x, argument: visit(x.argument) };
      case 'select':
        return { kind: 'select', test: visit(x.test), then: visit(x.then), otherwise: visit(x.otherwise) };
      case 'call': {
        if (x.name === 'fround') return visit(x.args[0] as Expression);
        const inner: Expression = { ...x, args: x.args.map(visit) };
        return EXACT_CALLS.has(x.name) ? inner : call(inner);
      }
      case 'binary': {
        const l = visit(x.left);
        if (x.op === '**') {
          const p = constantValue(x.right);
          if (p === 2) return call({ kind: 'binary', op: '*', left: l, right: l });
          if (p === 3) return call({ kind: 'binary', op: '*', left: call({ kind: 'binary', op: '*', left: l, right: l }), right: l });
        }
        const inner: Expression = { ...x, left: l, right: visit(x.right) };
        return x.op === '+' || x.op === '-' || x.op === '*' || x.op === '/' || x.op === '**' ? call(inner) : inner;
      }
    }
  };
  return visit(e);
}

/** A statement as `target = fround(target op value)` with `value` rounded as above. */
export function roundStatement(s: Statement, exact: ReadonlySet<string>): Statement {
  const value = roundExpression(s.expression, exact);
  if (s.op === '=') return { ...s, expression: value };
  const op = s.op === '+=' ? '+' : s.op === '-=' ? '-' : '*';
  return { ...s, op: '=', expression: call({ kind: 'binary', op, left: { kind: 'name', name: s.target }, right: value }) };
}

/** Storage and arithmetic precision of a network's per-neuron state. */
export type Precision = 'double' | 'single';

/** The array type that holds per-neuron state. */
export type StateArray = Float64Array | Float32Array;

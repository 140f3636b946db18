import { CajalError } from '@cajal/core';
import {
  DIMENSIONLESS, type Dimension, divideDimensions, expectDimension, formatDimension, isDimensionless,
  multiplyDimensions, sameDimension, scaleDimension,
} from './units.ts';

/**
 * Expressions of the equation language (Python syntax, as in Brian): numbers, names, + - * /
 * ** (power), comparisons, and/or/not, calls (exp, log, sqrt, abs, sin, cos, tanh, rand, randn,
 * clip, fround: rounding to the nearest float32, which single-precision networks insert). Parsed into an AST that the interpreter evaluates and the compiler turns into JS.
 *
 * @example
 *   parseExpression('(El - v) / tau'); // { kind: 'binary', op: '/', ... }
 */
export type Expression =
  | { kind: 'number'; value: number }
  | { kind: 'name'; name: string }
  | { kind: 'unary'; op: '-' | 'not'; argument: Expression }
  | { kind: 'binary'; op: BinaryOperator; left: Expression; right: Expression }
  | { kind: 'call'; name: string; args: Expression[] }
  | { kind: 'select'; test: Expression; then: Expression; otherwise: Expression };

/** Binary operators of the language. */
export type BinaryOperator = '+' | '-' | '*' | '/' | '**' | '<' | '>' | '<=' | '>=' | '==' | '!=' | 'and' | 'or';

export { parseExpression } from './expression-parse.ts';

/** Functions the language knows, with how many arguments each takes. */
export const FUNCTIONS: Record<string, { args: number; js: string }> = {
  exp: { args: 1, js: 'Math.exp' }, log: { args: 1, js: 'Math.log' }, sqrt: { args: 1, js: 'Math.sqrt' },
  abs: { args: 1, js: 'Math.abs' }, sin: { args: 1, js: 'Math.sin' }, cos: { args: 1, js: 'Math.cos' },
  tanh: { args: 1, js: 'Math.tanh' }, sinh: { args: 1, js: 'Math.sinh' }, cosh: { args: 1, js: 'Math.cosh' },
  expm1: { args: 1, js: 'Math.expm1' }, floor: { args: 1, js: 'Math.floor' },
  clip: { args: 3, js: '__clip' }, fround: { args: 1, js: 'Math.fround' }, rand: { args: 0, js: '__rng.uniform' }, randn: { args: 0, js: '__rng.normal' },
};

/**
 * The dimension of an expression given the dimensions of its names; throws UNIT_MISMATCH
 * (naming `where`, the equation) when operands disagree.
 */
export function inferDimension(expression: Expression, dimensionOf: (name: string) => Dimension | undefined, where: string): Dimension {
  const visit = (e: Expression): Dimension => {
    switch (e.kind) {
      case 'number':
        return DIMENSIONLESS;
      case 'name': {
        const d = dimensionOf(e.name);
        if (!d) throw new CajalError('INVALID_ARGUMENT', `unknown name "${e.name}" in "${where}"`, { field: where, name: e.name });
        return d;
      }
      case 'unary':
        return e.op === 'not' ? DIMENSIONLESS : visit(e.argument);
      case 'select': {
        visit(e.test);
        const a = visit(e.then);
        expectDimension(visit(e.otherwise), a, where, 'the alternative of a condition');
        return a;
      }
      case 'call': {
        const f = FUNCTIONS[e.name];
        if (!f) throw new CajalError('INVALID_ARGUMENT', `unknown function "${e.name}" in "${where}"`, { field: where, name: e.name });
        if (e.args.length !== f.args) throw new CajalError('INVALID_ARGUMENT', `${e.name}() takes ${f.args} arguments in "${where}"`, { field: where });
        const dims = e.args.map(visit);
        if (e.name === 'sqrt') return scaleDimension(dims[0] as Dimension, 0.5);
        if (e.name === 'abs' || e.name === 'floor' || e.name === 'fround') return dims[0] as Dimension;
        if (e.name === 'clip') {
          expectDimension(dims[1] as Dimension, dims[0] as Dimension, where, 'the lower bound of clip()');
          expectDimension(dims[2] as Dimension, dims[0] as Dimension, where, 'the upper bound of clip()');
          return dims[0] as Dimension;
        }
        for (const d of dims) expectDimension(d, DIMENSIONLESS, where, `the argument of ${e.name}()`);
        return DIMENSIONLESS;
      }
      case 'binary': {
        const left = visit(e.left);
        const right = visit(e.right);
        switch (e.op) {
          case '*':
            return multiplyDimensions(left, right);
          case '/':
            return divideDimensions(left, right);
          case '**': {
            expectDimension(right, DIMENSIONLESS, where, 'an exponent');
            if (isDimensionless(left)) return DIMENSIONLESS;
            const p = constantValue(e.right);
            if (p === undefined) throw new CajalError('UNIT_MISMATCH', `a quantity with dimension ${formatDimension(left)} is raised to a non-constant power in "${where}"`, { field: where });
            return scaleDimension(left, p);
          }
          case 'and':
          case 'or':
            return DIMENSIONLESS;
          default:
            if (!sameDimension(left, right)) {
              throw new CajalError(
                'UNIT_MISMATCH',
                `"${e.op}" combines ${formatDimension(left)} with ${formatDimension(right)} in "${where}"`,
                { field: where, left: formatDimension(left), right: formatDimension(right) },
              );
            }
            return e.op === '+' || e.op === '-' ? left : DIMENSIONLESS;
        }
      }
    }
  };
  return visit(expression);
}

/** The value of an expression made only of numbers, or undefined. */
export function constantValue(e: Expression): number | undefined {
  try {
    return evaluate(e, (name) => {
      throw new Error(name);
    });
  } catch {
    return undefined;
  }
}

/** Random source used by rand()/randn() when an expression is evaluated. */
export interface RandomSource { uniform(): number; normal(): number }

/** Evaluate an expression with `lookup` giving the value of each name (SI units). */
export function evaluate(e: Expression, lookup: (name: string) => number, random?: RandomSource): number {
  switch (e.kind) {
    case 'number':
      return e.value;
    case 'name':
      return lookup(e.name);
    case 'unary': {
      const a = evaluate(e.argument, lookup, random);
      return e.op === '-' ? -a : a ? 0 : 1;
    }
    case 'select':
      return evaluate(e.test, lookup, random) ? evaluate(e.then, lookup, random) : evaluate(e.otherwise, lookup, random);
    case 'call': {
      if (e.name === 'rand' || e.name === 'randn') {
        if (!random) throw new CajalError('INVALID_ARGUMENT', `${e.name}() is not allowed here`);
        return e.name === 'rand' ? random.uniform() : random.normal();
      }
      const a = e.args.map((x) => evaluate(x, lookup, random));
      switch (e.name) {
        case 'exp': return Math.exp(a[0] as number);
        case 'log': return Math.log(a[0] as number);
        case 'sqrt': return Math.sqrt(a[0] as number);
        case 'abs': return Math.abs(a[0] as number);
        case 'sin': return Math.sin(a[0] as number);
        case 'cos': return Math.cos(a[0] as number);
        case 'tanh': return Math.tanh(a[0] as number);
        case 'sinh': return Math.sinh(a[0] as number);
        case 'cosh': return Math.cosh(a[0] as number);
        case 'expm1': return Math.expm1(a[0] as number);
        case 'floor': return Math.floor(a[0] as number);
        case 'fround': return Math.fround(a[0] as number);
        case 'clip': return clip(a[0] as number, a[1] as number, a[2] as number);
        default: throw new CajalError('INVALID_ARGUMENT', `unknown function "${e.name}"`);
      }
    }
    case 'binary': {
      const l = evaluate(e.left, lookup, random);
      const r = evaluate(e.right, lookup, random);
      switch (e.op) {
        case '+': return l + r;
        case '-': return l - r;
        case '*': return l * r;
        case '/': return l / r;
        case '**': return power(l, r);
        case '<': return l < r ? 1 : 0;
        case '>': return l > r ? 1 : 0;
        case '<=': return l <= r ? 1 : 0;
        case '>=': return l >= r ? 1 : 0;
        case '==': return l === r ? 1 : 0;
        case '!=': return l !== r ? 1 : 0;
        case 'and': return l && r ? 1 : 0;
        case 'or': return l || r ? 1 : 0;
      }
    }
  }
}

/** clip(x, low, high), shared by interpreter and generated code. */
export function clip(x: number, low: number, high: number): number {
  return x < low ? low : x > high ? high : x;
}

/** x ** p with small integer powers as products (identical in interpreter and compiled code). */
export function power(x: number, p: number): number {
  if (p === 2) return x * x;
  if (p === 3) return x * x * x;
  return Math.pow(x, p);
}

/**
 * JavaScript source for an expression; `nameToJs` maps each name to JS (a local, a constant).
 * Operations are emitted in the same order the interpreter evaluates them, so both give
 * bit-identical results.
 */
export function toJavaScript(e: Expression, nameToJs: (name: string) => string): string {
  const visit = (x: Expression): string => {
    switch (x.kind) {
      case 'number':
        return Number.isFinite(x.value) ? `(${String(x.value)})` : String(x.value);
      case 'name':
        return nameToJs(x.name);
      case 'unary':
        return x.op === '-' ? `(-${visit(x.argument)})` : `(${visit(x.argument)} ? 0 : 1)`;
      case 'select':
        return `(${visit(x.test)} ? ${visit(x.then)} : ${visit(x.otherwise)})`;
      case 'call':
        return `${(FUNCTIONS[x.name] as { js: string }).js}(${x.args.map(visit).join(', ')})`;
      case 'binary': {
        const l = visit(x.left);
        const r = visit(x.right);
        switch (x.op) {
          case '**': {
            const p = constantValue(x.right);
            if (p === 2) return `(${l} * ${l})`;
            if (p === 3) return `(${l} * ${l} * ${l})`;
            return `__power(${l}, ${r})`;
          }
          case 'and': return `((${l} && ${r}) ? 1 : 0)`;
          case 'or': return `((${l} || ${r}) ? 1 : 0)`;
          case '==': return `(${l} === ${r} ? 1 : 0)`;
          case '!=': return `(${l} !== ${r} ? 1 : 0)`;
          case '<': case '>': case '<=': case '>=': return `(${l} ${x.op} ${r} ? 1 : 0)`;
          default: return `(${l} ${x.op} ${r})`;
        }
      }
    }
  };
  return visit(e);
}

/** Replace names by expressions (e.g. a subexpression by its definition, v by v + dt/2*k1). */
export function substitute(e: Expression, replacement: (name: string) => Expression | undefined): Expression {
  switch (e.kind) {
    case 'number':
      return e;
    case 'name':
      return replacement(e.name) ?? e;
    case 'unary':
      return { ...e, argument: substitute(e.argument, replacement) };
    case 'select':
      return { kind: 'select', test: substitute(e.test, replacement), then: substitute(e.then, replacement), otherwise: substitute(e.otherwise, replacement) };
    case 'call':
      return { ...e, args: e.args.map((a) => substitute(a, replacement)) };
    case 'binary':
      return { ...e, left: substitute(e.left, replacement), right: substitute(e.right, replacement) };
  }
}

/** Every name an expression uses. */
export function namesIn(e: Expression, into = new Set<string>()): Set<string> {
  switch (e.kind) {
    case 'name': into.add(e.name); break;
    case 'unary': namesIn(e.argument, into); break;
    case 'select': namesIn(e.test, into); namesIn(e.then, into); namesIn(e.otherwise, into); break;
    case 'call': for (const a of e.args) namesIn(a, into); break;
    case 'binary': namesIn(e.left, into); namesIn(e.right, into); break;
    default: break;
  }
  return into;
}

/** True when the expression calls rand() or randn(). */
export function isStochastic(e: Expression): boolean {
  switch (e.kind) {
    case 'call': return e.name === 'rand' || e.name === 'randn' || e.args.some(isStochastic);
    case 'unary': return isStochastic(e.argument);
    case 'select': return isStochastic(e.test) || isStochastic(e.then) || isStochastic(e.otherwise);
    case 'binary': return isStochastic(e.left) || isStochastic(e.right);
    default: return false;
  }
}

/**
 * The polynomial degree of `e` in the names of `variables` when it is at most 1 (affine), or
 * 2 meaning "not affine". Used to pick exact and exponential-Euler integration.
 */
export function affineDegree(e: Expression, variables: ReadonlySet<string>): 0 | 1 | 2 {
  const visit = (x: Expression): 0 | 1 | 2 => {
    switch (x.kind) {
      case 'number': return 0;
      case 'name': return variables.has(x.name) ? 1 : 0;
      case 'unary': return x.op === '-' ? visit(x.argument) : visit(x.argument) === 0 ? 0 : 2;
      case 'select': return visit(x.test) === 0 && visit(x.then) === 0 && visit(x.otherwise) === 0 ? 0 : 2;
      case 'call': return x.args.every((a) => visit(a) === 0) && !isStochastic(x) ? 0 : 2;
      case 'binary': {
        const l = visit(x.left);
        const r = visit(x.right);
        switch (x.op) {
          case '+': case '-': return Math.max(l, r) as 0 | 1 | 2;
          case '*': return Math.min(2, l + r) as 0 | 1 | 2;
          case '/': return r === 0 ? l : 2;
          case '**': return l === 0 && r === 0 ? 0 : l === 1 && constantValue(x.right) === 1 ? 1 : 2;
          default: return l === 0 && r === 0 ? 0 : 2;
        }
      }
    }
  };
  return visit(e);
}

export { sameDimension };

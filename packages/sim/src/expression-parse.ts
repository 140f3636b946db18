import { CajalError } from '@cajal/core';
import type { Expression } from './expression.ts';

/**
 * The parser of the equation language (expression.ts): text to Expression, by recursive descent
 * with Python's precedence; errors are PARSE_ERROR with the offset.
 */

interface Token { type: 'number' | 'name' | 'op' | 'end'; text: string; position: number }

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  const pattern = /\s*(?:(\d+\.?\d*(?:[eE][-+]?\d+)?|\.\d+(?:[eE][-+]?\d+)?)|([A-Za-z_\u00b5][A-Za-z0-9_]*)|(\*\*|<=|>=|==|!=|[-+*/()<>,]))/y;
  let position = 0;
  while (position < text.length) {
    if (/^\s*$/.test(text.slice(position))) break;
    pattern.lastIndex = position;
    const m = pattern.exec(text);
    if (!m) throw new CajalError('PARSE_ERROR', `cannot read "${text.slice(position).trim()}" in "${text}"`, { field: text, offset: position });
    const start = m.index + (m[0].length - m[0].trimStart().length);
    if (m[1] !== undefined) tokens.push({ type: 'number', text: m[1], position: start });
    else if (m[2] !== undefined) tokens.push({ type: 'name', text: m[2], position: start });
    else tokens.push({ type: 'op', text: m[3] as string, position: start });
    position = pattern.lastIndex;
  }
  tokens.push({ type: 'end', text: '', position: text.length });
  return tokens;
}

/** Parse one expression; throws PARSE_ERROR naming the text and offset. */
export function parseExpression(text: string): Expression {
  const tokens = tokenize(text);
  let index = 0;
  const peek = (): Token => tokens[index] as Token;
  const fail = (message: string): never => {
    throw new CajalError('PARSE_ERROR', `${message} at offset ${peek().position} in "${text}"`, { field: text, offset: peek().position });
  };
  const accept = (op: string): boolean => {
    const t = peek();
    if ((t.type === 'op' || t.type === 'name') && t.text === op) {
      index++;
      return true;
    }
    return false;
  };
  /** One left-associative precedence level: operand (op operand)*, for the operators `ops`. */
  const chain = (ops: ReadonlyArray<'or' | 'and' | '+' | '-' | '*' | '/'>, operand: () => Expression) => (): Expression => {
    let left = operand();
    for (let op = ops.find((o) => accept(o)); op; op = ops.find((o) => accept(o))) left = { kind: 'binary', op, left, right: operand() };
    return left;
  };
  const parseOr = chain(['or'], () => parseAnd());
  const parseAnd = chain(['and'], () => parseNot());
  const parseNot = (): Expression => (accept('not') ? { kind: 'unary', op: 'not', argument: parseNot() } : parseComparison());
  const parseComparison = (): Expression => {
    const left = parseSum();
    for (const op of ['<=', '>=', '==', '!=', '<', '>'] as const) {
      if (accept(op)) return { kind: 'binary', op, left, right: parseSum() };
    }
    return left;
  };
  const parseSum = chain(['+', '-'], () => parseProduct());
  const parseProduct = chain(['*', '/'], () => parseUnary());
  const parseUnary = (): Expression => {
    if (accept('-')) return { kind: 'unary', op: '-', argument: parseUnary() };
    if (accept('+')) return parseUnary();
    return parsePower();
  };
  const parsePower = (): Expression => {
    const base = parseAtom();
    if (accept('**')) return { kind: 'binary', op: '**', left: base, right: parseUnary() };
    return base;
  };
  const parseAtom = (): Expression => {
    const t = peek();
    if (t.type === 'number') {
      index++;
      return { kind: 'number', value: Number(t.text) };
    }
    if (t.type === 'name') {
      index++;
      if (accept('(')) {
        const args: Expression[] = [];
        if (!accept(')')) {
          do args.push(parseOr());
          while (accept(','));
          if (!accept(')')) fail('expected ")"');
        }
        return { kind: 'call', name: t.text, args };
      }
      return { kind: 'name', name: t.text };
    }
    if (accept('(')) {
      const inner = parseOr();
      if (!accept(')')) fail('expected ")"');
      return inner;
    }
    return fail(t.type === 'end' ? 'unexpected end' : `unexpected "${t.text}"`);
  };
  const result = parseOr();
  if (peek().type !== 'end') fail(`unexpected "${peek().text}"`);
  return result;
}

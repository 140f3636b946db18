import { describe, expect, it } from 'vitest';
import { coba, cuba, izhikevichNetwork } from './examples.ts';
import { type Expression, evaluate, parseExpression, toJavaScript } from './expression.ts';
import { type NeuronModelDescription, parseModel } from './equations.ts';
import { type Assignment, integrationProgram } from './integration.ts';
import type { NetworkDescription } from './network.ts';
import { optimizeExpression, optimizeProgram } from './optimize.ts';

const js = (program: Assignment[]): string[] => program.map((a) => `${a.target} = ${toJavaScript(a.expression, (n) => n)}`);

/** Run a program on one neuron's state (statements in order, as every backend does). */
function step(program: Assignment[], state: Record<string, number>): Record<string, number> {
  const scope = new Map(Object.entries(state));
  for (const a of program) scope.set(a.target, evaluate(a.expression, (n) => scope.get(n) as number));
  return Object.fromEntries(Object.keys(state).map((k) => [k, scope.get(k) as number]));
}

/** 2000 random states, each stepped by both programs: the largest relative difference of any state variable. */
function largestDifference(raw: Assignment[], optimized: Assignment[], ranges: Record<string, [number, number]>): number {
  let seed = 12345;
  const uniform = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648);
  let worst = 0;
  for (let k = 0; k < 2000; k++) {
    const state = Object.fromEntries(Object.entries(ranges).map(([n, [lo, hi]]) => [n, lo + (hi - lo) * uniform()]));
    state['not_refractory'] = k % 5 === 0 ? 0 : 1;
    const a = step(raw, state);
    const b = step(optimized, state);
    for (const n of Object.keys(ranges)) worst = Math.max(worst, Math.abs((a[n] as number) - (b[n] as number)) / Math.max(1e-300, Math.abs(a[n] as number)));
  }
  return worst;
}

/** The targets left after optimizeProgram, for a program written as [target, expression] pairs. */
const targetsAfter = (statements: Array<[string, string]>): string[] =>
  optimizeProgram(statements.map(([target, source]) => ({ target, expression: parseExpression(source) }))).map((a) => a.target);

const modelOf = (description: NetworkDescription): NeuronModelDescription => {
  const group = description.groups[0];
  if (!group || !('model' in group)) throw new Error('the example\'s first group has no model');
  return group.model;
};

describe('optimizeProgram', () => {
  it('criterion: COBA\'s Euler step loses its k-terms, the decays become one multiply each, and every state agrees with the unoptimized step to 1e-12', () => {
    const raw = integrationProgram(parseModel(modelOf(coba({ size: 10 }))), 1e-4, 'euler');
    const optimized = optimizeProgram(raw);
    expect(raw.map((a) => a.target)).toEqual(['__k0_v', '__k0_ge', '__k0_gi', 'v', 'ge', 'gi']);
    expect(js(optimized)).toEqual([
      'v = (v + (not_refractory ? (((((-0.06) - v) - (ge * v)) + (gi * ((-0.08) - v))) * (0.005)) : (0)))',
      'ge = (ge * (0.98))',
      'gi = (gi * (0.99))',
    ]);
    expect(largestDifference(raw, optimized, { v: [-0.08, -0.05], ge: [0, 0.5], gi: [0, 2] })).toBeLessThan(1e-12);
  });

  it('criterion: CUBA\'s exact step inlines its next-value temporaries and agrees to 1e-12', () => {
    const raw = integrationProgram(parseModel(modelOf(cuba({ size: 10 }))), 1e-4, 'exact');
    const optimized = optimizeProgram(raw);
    expect(optimized.map((a) => a.target)).toEqual(['v', 'ge', 'gi']);
    expect(largestDifference(raw, optimized, { v: [-0.06, -0.05], ge: [0, 0.02], gi: [-0.05, 0] })).toBeLessThan(1e-12);
  });

  it('keeps temporaries read twice (RK4) or whose inputs change before their use, and agrees to 1e-12', () => {
    const izhikevich = modelOf(izhikevichNetwork({ seed: 1 }));
    const rk4 = integrationProgram(parseModel(izhikevich), 1e-4, 'rk4');
    const optimized = optimizeProgram(rk4);
    const kept = optimized.filter((a) => a.target.startsWith('__k'));
    expect(kept.length).toBeGreaterThan(4); // k1..k3 feed later stages and the sum
    expect(largestDifference(rk4, optimized, { v: [-70, 20], u: [-20, 10], I: [0, 10], I_noise: [-5, 5], a: [0.02, 0.1], b: [0.2, 0.25] })).toBeLessThan(1e-12);
    // a temporary whose input is assigned before its one reader stays
    expect(targetsAfter([['__t', 'v * 2'], ['v', 'v + 1'], ['w', '__t + w']])).toEqual(['__t', 'v', 'w']);
  });

  it('does not inline a temporary that draws random numbers (the draws would change order)', () => {
    expect(targetsAfter([['__noise', 'randn() * 2'], ['x', 'x + rand()'], ['y', 'y + __noise']])).toEqual(['__noise', 'x', 'y']);
  });
});

describe('optimizeExpression', () => {
  it('pushes a constant factor into both branches of a choice, and folds x + x * c into one multiply', () => {
    const text = (source: string | Expression): string => toJavaScript(optimizeExpression(typeof source === 'string' ? parseExpression(source) : source), (n) => n);
    const choice = (then: Expression, otherwise: Expression): Expression => ({ kind: 'select', test: parseExpression('c'), then, otherwise });
    expect(text({ kind: 'binary', op: '*', left: choice(parseExpression('a * 50'), parseExpression('0')), right: parseExpression('0.0001') })).toBe('(c ? (a * (0.005)) : (0))');
    expect(text('x + x * -0.02')).toBe('(x * (0.98))');
    expect(text('x - x * 0.25')).toBe('(x * (0.75))');
    expect(text('x + y * 0.5')).toBe('(x + (y * (0.5)))');
    expect(text({ kind: 'binary', op: '*', left: choice(parseExpression('a'), parseExpression('b')), right: parseExpression('3') })).toBe('(c ? (a * (3)) : (b * (3)))');
  });
});

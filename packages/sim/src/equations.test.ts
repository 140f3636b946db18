import { isCajalError } from '@cajal/core';
import { describe, expect, it } from 'vitest';
import { parseModel, parseQuantity } from './equations.ts';
import { evaluate, parseExpression } from './expression.ts';
import { formatDimension, lookupUnit } from './units.ts';

describe('units and equations', () => {
  it('reads quantities with units into SI values and dimensions', () => {
    expect(parseQuantity('20*ms').value).toBeCloseTo(0.02, 15);
    expect(parseQuantity('-60*mV').value).toBeCloseTo(-0.06, 15);
    expect(formatDimension(parseQuantity('6*nS').dimension)).toBe('siemens');
    expect(formatDimension(parseQuantity('1*uF/cm**2').dimension)).toBe('farad/metre^2');
    expect(lookupUnit('kHz')?.value).toBe(1000);
    expect(evaluate(parseExpression('-2**2 + 3*(1 + 1)'), () => 0)).toBe(2);
  });

  it('criterion: a dimensionally wrong equation raises UNIT_MISMATCH naming the equation', () => {
    let error: unknown;
    try {
      parseModel({ equations: 'dv/dt = (El - v) : volt', parameters: { El: '-60*mV' } });
    } catch (e) {
      error = e;
    }
    expect(isCajalError(error, 'UNIT_MISMATCH')).toBe(true);
    expect((error as Error).message).toContain('dv/dt = (El - v) : volt');
    expect((error as Error).message).toContain('volt/second');
    expect(() => parseModel({ equations: 'dv/dt = (El - v + I) / tau : volt\nI : amp', parameters: { El: '-60*mV', tau: '10*ms' } })).toThrow(/combines volt with amp/);
    expect(() => parseModel({ equations: 'dv/dt = -v/tau : volt', threshold: 'v > 1*nS', parameters: { tau: '10*ms' } })).toThrow(/combines volt with siemens/);
    expect(() => parseModel({ equations: 'dv/dt = -v/tau : volt', reset: 'v = 3*ms', parameters: { tau: '10*ms' } })).toThrow(/UNIT_MISMATCH|dimension second/);
  });

  it('accepts consistent equations with subexpressions, flags and per-neuron values', () => {
    const model = parseModel({
      equations: 'dv/dt = (El - v + I_syn*R) / tau : volt (unless refractory)\nI_syn = g*(E - v) : amp\ng : siemens',
      parameters: { El: '-60*mV', tau: '10*ms', R: '100*Mohm', E: '0*mV' },
      threshold: 'v > -50*mV', reset: 'v = El', refractory: '2*ms',
    });
    expect(model.states).toEqual(['v']);
    expect([...model.variables.keys()]).toEqual(['v', 'g']);
    expect(model.unlessRefractory.has('v')).toBe(true);
    expect(model.refractorySeconds).toBeCloseTo(0.002, 12);
  });

  it('reports unreadable text as PARSE_ERROR', () => {
    expect(() => parseModel({ equations: 'dv/dt = (1 + : volt' })).toThrow(/unexpected end|cannot read/);
    expect(() => parseExpression('3 $ 4')).toThrow(/cannot read/);
  });
});

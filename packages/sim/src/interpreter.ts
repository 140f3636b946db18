import type { Random } from '@cajal/core';
import type { GroupInstance, NetworkInstance } from './build.ts';
import type { Statement } from './equations.ts';
import { evaluate } from './expression.ts';
import type { StateArray } from './precision.ts';
import type { Kernels } from './simulation.ts';

/**
 * The reference backend: walks the same update programs as the compiler, evaluating the
 * expression trees neuron by neuron. Slow, obviously correct, and the yardstick the contract
 * suite holds every other backend to (equal spikes for equal seeds).
 */
function applyStatement(s: Statement, scope: Map<string, number>, random: Random): void {
  const value = evaluate(s.expression, (n) => scope.get(n) as number, random);
  const old = scope.get(s.target) as number;
  scope.set(s.target, s.op === '=' ? value : s.op === '+=' ? old + value : s.op === '-=' ? old - value : old * value);
}

/** Interpreted kernels with the same order of floating-point operations as the compiled ones. */
export function interpretKernels(instance: NetworkInstance, random: Random): Kernels {
  const dt = instance.dtSeconds;
  const kernels: Kernels = { update: [], reset: [], propagate: [] };
  const load = (g: GroupInstance, i: number, scope: Map<string, number>): void => {
    for (const [name, values] of g.variables) scope.set(name, values[i] as number);
    scope.set('i', i);
    scope.set('N', g.size);
    scope.set('dt', dt);
  };
  for (const g of instance.groups) {
    kernels.update.push((step) => {
      const scope = new Map<string, number>();
      scope.set('t', step * dt);
      for (const r of g.regular) {
        if (step % r.intervalSteps !== 0) continue;
        for (let i = 0; i < g.size; i++) {
          load(g, i, scope);
          for (const s of r.statements) applyStatement(s, scope, random);
          for (const s of r.statements) (g.variables.get(s.target) as StateArray)[i] = scope.get(s.target) as number;
        }
      }
      let count = 0;
      for (let i = 0; i < g.size; i++) {
        load(g, i, scope);
        const notRefractory = g.refractorySteps > 0 ? (step - (g.lastSpikeStep[i] as number) >= g.refractorySteps ? 1 : 0) : 1;
        scope.set('not_refractory', notRefractory);
        for (const a of g.program) scope.set(a.target, evaluate(a.expression, (n) => scope.get(n) as number, random));
        for (const name of g.model?.states ?? []) (g.variables.get(name) as StateArray)[i] = scope.get(name) as number;
        if (g.threshold && notRefractory === 1 && evaluate(g.threshold, (n) => scope.get(n) as number, random)) {
          g.spikes[count++] = i;
          g.lastSpikeStep[i] = step;
        }
      }
      return count;
    });
    kernels.reset.push((count) => {
      const scope = new Map<string, number>();
      for (let n = 0; n < count; n++) {
        const i = g.spikes[n] as number;
        load(g, i, scope);
        for (const s of g.reset) applyStatement(s, scope, random);
        for (const s of g.reset) (g.variables.get(s.target) as StateArray)[i] = scope.get(s.target) as number;
      }
    });
  }
  for (const p of instance.projections) {
    const target = instance.groups[p.target] as GroupInstance;
    const size = target.size;
    kernels.propagate.push((step, spikes, count) => {
      p.pathways.forEach((w) => {
        if (!w.ring) return;
        const values = target.variables.get(w.variable) as StateArray;
        const base = (step % w.ringLength) * size;
        for (let i = 0; i < size; i++) {
          const x = w.ring[base + i] as number;
          if (x !== 0) {
            values[i] += x;
            w.ring[base + i] = 0;
          }
        }
      });
      for (let n = 0; n < count; n++) {
        const j = spikes[n] as number;
        for (let k = p.rowStart[j] as number; k < (p.rowStart[j + 1] as number); k++) {
          const post = p.targets[k] as number;
          for (const w of p.pathways) {
            const increment = w.constantIncrement ?? evaluate(w.increment, () => (p.weights as Float32Array)[k] as number);
            if (!w.ring) {
              const values = target.variables.get(w.variable) as StateArray;
              if (w.sign === 1) values[post] += increment;
              else values[post] -= increment;
            } else {
              const delay = typeof w.delaySteps === 'number' ? w.delaySteps : (w.delaySteps[k] as number);
              const slot = ((step + delay) % w.ringLength) * size + post;
              if (w.sign === 1) w.ring[slot] += increment;
              else w.ring[slot] -= increment;
            }
          }
        }
      }
    });
  }
  return kernels;
}

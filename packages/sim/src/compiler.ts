import type { Random } from '@cajal/core';
import type { GroupInstance, NetworkInstance, PathwayInstance, ProjectionInstance } from './build.ts';
import type { Statement } from './equations.ts';
import { type Expression, clip, namesIn, power, toJavaScript } from './expression.ts';
import type { Kernels } from './simulation.ts';

/**
 * The JavaScript compiler backend's code generator: each neuron group becomes one generated
 * function (a loop over Float64Array state with every constant inlined, the threshold test
 * fused in) and each projection one function walking CSR rows. No per-neuron objects.
 * Code is built with `new Function`, so it runs in Node, browsers and Web Workers alike.
 */
const local = (name: string): string => (name.startsWith('__') ? name : `s_${name}`);

function statementJs(s: Statement, js: (name: string) => string): string {
  const target = local(s.target);
  const value = toJavaScript(s.expression, js);
  switch (s.op) {
    case '=': return `${target} = ${value};`;
    case '+=': return `${target} = ${target} + ${value};`;
    case '-=': return `${target} = ${target} - ${value};`;
    case '*=': return `${target} = ${target} * ${value};`;
  }
}

/** Generated source of a group's update function (exposed for inspection and tests). */
export function generateGroupSource(g: GroupInstance, dtSeconds: number): { update: string; reset: string } {
  const varNames = [...g.variables.keys()];
  const js = (name: string): string => {
    if (name === 't') return 't';
    if (name === 'dt') return `(${dtSeconds})`;
    if (name === 'i') return 'i';
    if (name === 'N') return `(${g.size})`;
    if (name === 'not_refractory') return 'not_refractory';
    return local(name);
  };
  const used = new Set<string>();
  for (const a of g.program) namesIn(a.expression, used);
  if (g.threshold) namesIn(g.threshold, used);
  const loads = varNames.filter((v) => used.has(v) || g.program.some((a) => a.target === v)).map((v) => `let s_${v} = a_${v}[i];`);
  const writes = varNames.filter((v) => g.program.some((a) => a.target === v)).map((v) => `a_${v}[i] = s_${v};`);
  const temps = [...new Set(g.program.filter((a) => a.target.startsWith('__')).map((a) => a.target))];
  const header = varNames.map((v) => `const a_${v} = vars.get(${JSON.stringify(v)});`).join('\n');
  const refractory = g.refractorySteps > 0;
  const regular = g.regular.map((r) => {
    const names = new Set<string>();
    for (const s of r.statements) namesIn(s.expression, names);
    const assigned = [...new Set(r.statements.map((s) => s.target))];
    const readable = varNames.filter((v) => names.has(v) || assigned.includes(v));
    return `if (step % ${r.intervalSteps} === 0) { for (let i = 0; i < ${g.size}; i++) { ${readable.map((v) => `let s_${v} = a_${v}[i];`).join(' ')} ${r.statements.map((s) => statementJs(s, js)).join(' ')} ${assigned.map((v) => `a_${v}[i] = s_${v};`).join(' ')} } }`;
  }).join('\n');
  const update = `${header}
const lastSpike = group.lastSpikeStep; const spikes = group.spikes;
return function update(step) {
  const t = step * ${dtSeconds};
  ${regular}
  let count = 0;
  for (let i = 0; i < ${g.size}; i++) {
    const not_refractory = ${refractory ? `(step - lastSpike[i]) >= ${g.refractorySteps} ? 1 : 0` : '1'};
    ${loads.join(' ')}
    ${temps.length ? `let ${temps.join(', ')};` : ''}
    ${g.program.map((a) => `${local(a.target)} = ${toJavaScript(a.expression, js)};`).join('\n    ')}
    ${writes.join(' ')}
    ${g.threshold ? `if (${refractory ? 'not_refractory === 1 && ' : ''}${toJavaScript(g.threshold, js)}) { spikes[count++] = i; lastSpike[i] = step; }` : ''}
  }
  return count;
};`;
  const resetNames = new Set<string>();
  for (const s of g.reset) {
    namesIn(s.expression, resetNames);
    resetNames.add(s.target);
  }
  const resetVars = varNames.filter((v) => resetNames.has(v));
  const assigned = [...new Set(g.reset.map((s) => s.target))];
  const reset = `${header}
const spikes = group.spikes;
return function reset(count) {
  for (let n = 0; n < count; n++) {
    const i = spikes[n];
    ${resetVars.map((v) => `let s_${v} = a_${v}[i];`).join(' ')}
    ${g.reset.map((s) => statementJs(s, js)).join(' ')}
    ${assigned.map((v) => `a_${v}[i] = s_${v};`).join(' ')}
  }
};`;
  return { update, reset };
}

function incrementJs(p: PathwayInstance): string {
  if (p.constantIncrement !== undefined) return `(${p.constantIncrement})`;
  return toJavaScript(p.increment, (name) => (name === 'w' ? 'weights[k]' : name));
}

/** Generated source of a projection's propagate function. */
export function generateProjectionSource(p: ProjectionInstance, targetSize: number): string {
  const header = `const rowStart = projection.rowStart; const targets = projection.targets; const weights = projection.weights;
${p.pathways.map((w, n) => `const a${n} = targetVars.get(${JSON.stringify(w.variable)}); const ring${n} = projection.pathways[${n}].ring; const delays${n} = projection.pathways[${n}].delaySteps;`).join('\n')}`;
  const deliver = p.pathways.map((w, n) => (w.ring
    ? `{ const base = (step % ${w.ringLength}) * ${targetSize}; for (let i = 0; i < ${targetSize}; i++) { const x = ring${n}[base + i]; if (x !== 0) { a${n}[i] += x; ring${n}[base + i] = 0; } } }`
    : '')).join('\n');
  const op = (w: PathwayInstance): string => (w.sign === 1 ? '+=' : '-=');
  const apply = p.pathways.map((w, n) => {
    if (!w.ring) return `a${n}[post] ${op(w)} ${incrementJs(w)};`;
    const slot = typeof w.delaySteps === 'number' ? `((step + ${w.delaySteps}) % ${w.ringLength})` : `((step + delays${n}[k]) % ${w.ringLength})`;
    return `ring${n}[${slot} * ${targetSize} + post] ${op(w)} ${incrementJs(w)};`;
  }).join(' ');
  return `${header}
return function propagate(step, spikes, count) {
  ${deliver}
  for (let n = 0; n < count; n++) {
    const j = spikes[n];
    const end = rowStart[j + 1];
    for (let k = rowStart[j]; k < end; k++) {
      const post = targets[k];
      ${apply}
    }
  }
};`;
}

type Factory = (...args: unknown[]) => unknown;

/** Compile every kernel of a network instance with `new Function`. */
export function compileKernels(instance: NetworkInstance, random: Random): Kernels {
  const kernels: Kernels = { update: [], reset: [], propagate: [] };
  for (const g of instance.groups) {
    if (g.kind !== 'neurons') {
      kernels.update.push(() => 0);
      kernels.reset.push(() => undefined);
      continue;
    }
    const source = generateGroupSource(g, instance.dtSeconds);
    const make = (body: string): Factory => new Function('vars', 'group', '__rng', '__power', '__clip', body) as Factory;
    kernels.update.push(make(source.update)(g.variables, g, random, power, clip) as (step: number) => number);
    kernels.reset.push(make(source.reset)(g.variables, g, random, power, clip) as (count: number) => void);
  }
  for (const p of instance.projections) {
    const target = instance.groups[p.target] as GroupInstance;
    const body = generateProjectionSource(p, target.size);
    const factory = new Function('projection', 'targetVars', '__power', '__clip', body) as Factory;
    kernels.propagate.push(factory(p, target.variables, power, clip) as Kernels['propagate'][number]);
  }
  return kernels;
}

export type { Expression };

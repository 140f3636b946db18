import type { Random } from '@cajal/core';
import type { GroupInstance, NetworkInstance, ProjectionInstance } from './build.ts';
import { compileKernels } from './compiler.ts';
import type { StateArray } from './precision.ts';
import type { Kernels } from './simulation.ts';
import { END, op, section, unsignedLeb as uleb, v128Const, wasmModule } from '@cajal/core';
import { type Layout, UNROLL, groupModuleBytes, vectorWidth, wasmEligible } from './wasm-update.ts';
import { type ProjectionLayout, scatterEligible, scatterModuleBytes } from './wasm-scatter.ts';

export { groupModuleBytes, wasmEligible } from './wasm-update.ts';
export { scatterModuleBytes } from './wasm-scatter.ts';

/**
 * The wasm backend. A neuron group's update program becomes a wasm SIMD function (wasm-update.ts)
 * that advances two neurons per vector with f64x2 arithmetic (double precision) or four with
 * f32x4 (single precision networks), four vectors per loop iteration (unrolled, each with its
 * own locals, which cut the update's time per neuron by ~40 %), with refractoriness as an integer lane mask and the
 * threshold test fused in (spikes appended in index order). State arrays move into one wasm
 * memory; the group's typed-array views are swapped for views of it, so resets, monitors and
 * plasticity (generated JavaScript) see the same numbers. Projections with constant increments
 * and no delays scatter their spikes in wasm too (`scatterModuleBytes`, wasm-scatter.ts). Wasm
 * arithmetic is IEEE like JavaScript's and there is no fused multiply-add, so results are bit-identical to the
 * reference interpreter (single precision: see precision.ts; the contract suite checks both).
 * Groups whose programs call functions other than abs/sqrt/fround, use random numbers, the
 * index `i` or regular statements keep the JavaScript kernel.
 */

let simdAvailable: boolean | undefined;
/** Whether this engine runs WebAssembly SIMD (checked once with a tiny module). */
export function wasmSimdAvailable(): boolean {
  if (simdAvailable === undefined) {
    try {
      const body = [0, ...v128Const(Float64Array.of(1, 1)), op.drop, END];
      const bytes = wasmModule([section(1, [1, 0x60, 0, 0]), section(3, [1, 0]), section(10, [1, ...uleb(body.length), ...body])]);
      simdAvailable = typeof WebAssembly === 'object' && WebAssembly.validate(bytes);
    } catch {
      simdAvailable = false;
    }
  }
  return simdAvailable;
}

/**
 * Kernels for the wasm backend: wasm SIMD updates for eligible groups, generated JavaScript
 * for everything else. Moves eligible groups' arrays into a fresh wasm memory first.
 */
export function compileWasmKernels(instance: NetworkInstance, random: Random): Kernels {
  const groups = wasmSimdAvailable() ? instance.groups.filter(wasmEligible) : [];
  const single = instance.precision === 'single';
  const width = vectorWidth(single);
  const lanes = width.lanes * UNROLL; // neurons per loop iteration of the update: sizes pad to a multiple
  const layouts = new Map<GroupInstance, Layout>();
  let bytes = 0;
  const take = (n: number): number => {
    const at = bytes;
    bytes += Math.ceil(n / 16) * 16;
    return at;
  };
  for (const g of groups) {
    const padded = Math.ceil(g.size / lanes) * lanes;
    const variableOffset = new Map<string, number>();
    for (const v of g.variables.keys()) variableOffset.set(v, take(width.laneBytes * padded));
    layouts.set(g, { size: g.size, padded, single, variableOffset, lastOffset: take(4 * padded), spikesOffset: take(4 * padded) });
  }
  const inWasm = (index: number): boolean => layouts.has(instance.groups[index] as GroupInstance);
  const projectionLayouts = new Map<ProjectionInstance, ProjectionLayout>();
  for (const p of instance.projections) {
    if (!scatterEligible(p, inWasm)) continue;
    // keep well inside wasm32's 4 GiB address space: beyond 2 GiB the CSR arrays stay in JavaScript (JS scatter)
    if (bytes + p.rowStart.byteLength + p.targets.byteLength + 64 > 2 ** 31) continue;
    const source = layouts.get(instance.groups[p.source] as GroupInstance) as Layout;
    const target = layouts.get(instance.groups[p.target] as GroupInstance) as Layout;
    projectionLayouts.set(p, {
      rowOffset: take(p.rowStart.byteLength), targetsOffset: take(p.targets.byteLength), spikesOffset: source.spikesOffset, single,
      pathways: p.pathways.map((w) => ({ offset: target.variableOffset.get(w.variable) as number, increment: w.constantIncrement as number, sign: w.sign })),
    });
  }
  const memory = groups.length ? new WebAssembly.Memory({ initial: Math.max(1, Math.ceil(bytes / 65536)) }) : undefined;
  for (const [g, layout] of layouts) {
    const buffer = (memory as WebAssembly.Memory).buffer;
    for (const [v, offset] of layout.variableOffset) {
      const view = single ? new Float32Array(buffer, offset, g.size) : new Float64Array(buffer, offset, g.size);
      view.set(g.variables.get(v) as StateArray);
      g.variables.set(v, view);
    }
    const last = new Int32Array(buffer, layout.lastOffset, g.size);
    last.set(g.lastSpikeStep);
    g.lastSpikeStep = last;
    new Int32Array(buffer, layout.lastOffset, layout.padded).fill(-1 << 30, g.size);
    g.spikes = new Int32Array(buffer, layout.spikesOffset, g.size);
  }
  for (const [p, layout] of projectionLayouts) {
    const buffer = (memory as WebAssembly.Memory).buffer;
    const rowStart = new Int32Array(buffer, layout.rowOffset, p.rowStart.length);
    rowStart.set(p.rowStart);
    p.rowStart = rowStart;
    const targets = new Int32Array(buffer, layout.targetsOffset, p.targets.length);
    targets.set(p.targets);
    p.targets = targets;
  }
  const kernels = compileKernels(instance, random);
  for (const [g, layout] of layouts) {
    const module = new WebAssembly.Module(groupModuleBytes(g, layout, instance.dtSeconds) as BufferSource);
    const exports = new WebAssembly.Instance(module, { env: { memory: memory as WebAssembly.Memory } }).exports;
    kernels.update[g.index] = exports.update as (step: number) => number;
  }
  instance.projections.forEach((p, index) => {
    const layout = projectionLayouts.get(p);
    if (!layout) return;
    const module = new WebAssembly.Module(scatterModuleBytes(layout) as BufferSource);
    const propagate = new WebAssembly.Instance(module, { env: { memory: memory as WebAssembly.Memory } }).exports.propagate as (count: number) => void;
    kernels.propagate[index] = (_step, _spikes, count) => propagate(count);
  });
  return kernels;
}

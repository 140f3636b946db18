import { CajalError, type Random } from '@cajal/core';
import type { GroupInstance, NetworkInstance, ProjectionInstance } from './build.ts';
import { compileKernels } from './compiler.ts';
import type { StateArray } from './precision.ts';
import type { Kernels } from './simulation.ts';
import { WasmModuleBuilder, drop, v128 } from '@cajal/core';
import { type Layout, UNROLL, groupModuleBytes, vectorWidth, wasmEligible } from './wasm-update.ts';
import { type ProjectionLayout, scatterEligible, scatterModuleBytes } from './wasm-scatter.ts';
import { UpdateThreads, threadCuts } from './wasm-threads.ts';

export { groupModuleBytes, wasmEligible } from './wasm-update.ts';
export { scatterModuleBytes } from './wasm-scatter.ts';
export { type SpawnedThread, type ThreadSpawner, setThreadSpawner } from './wasm-threads.ts';

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
      const m = new WasmModuleBuilder();
      m.function({ params: [] }).emit(v128.const(Float64Array.of(1, 1)), drop);
      const bytes = m.bytes();
      simdAvailable = typeof WebAssembly === 'object' && WebAssembly.validate(bytes);
    } catch {
      simdAvailable = false;
    }
  }
  return simdAvailable;
}

/** Options of the wasm backend. */
export interface WasmOptions {
  /**
   * Threads for the neuron updates, counting the calling one (default 1). Groups of at least
   * `threadMinimum` neurons are split between them (wasm-threads.ts); results are bit-identical.
   * Needs a registered thread spawner (`@cajal/sim/node` in Node) and SharedArrayBuffer.
   */
  threads?: number;
  /** Smallest group that is split between threads (default 16,000 neurons; below it the hand-overs cost more than they save). */
  threadMinimum?: number;
  /**
   * How long the calling thread waits for a worker's part of one step before it gives up
   * (default 30,000 ms). A worker that died or was stopped mid-step never answers; the run then
   * throws, and every later step too, since that step is half done.
   */
  threadTimeoutMs?: number;
}

/**
 * Kernels for the wasm backend: wasm SIMD updates for eligible groups, generated JavaScript
 * for everything else. Moves eligible groups' arrays into a fresh wasm memory first.
 */
export function compileWasmKernels(instance: NetworkInstance, random: Random, options: WasmOptions = {}): Kernels {
  const threadCount = options.threads ?? 1;
  if (!Number.isInteger(threadCount) || threadCount < 1 || threadCount > 64) {
    throw new CajalError('INVALID_ARGUMENT', `threads must be a whole number from 1 to 64, not ${threadCount}`, { field: 'threads' });
  }
  if (options.threadTimeoutMs !== undefined && !(options.threadTimeoutMs > 0)) {
    throw new CajalError('INVALID_ARGUMENT', `threadTimeoutMs must be a positive number of milliseconds, not ${options.threadTimeoutMs}`, { field: 'threadTimeoutMs' });
  }
  const groups = wasmSimdAvailable() ? instance.groups.filter(wasmEligible) : [];
  const threadMinimum = options.threadMinimum ?? 16000;
  const threaded = threadCount > 1 ? groups.filter((g) => g.size >= threadMinimum) : [];
  const cutsOf = new Map<GroupInstance, number[]>(); // threaded groups: how their neurons split (threadCuts)
  const shared = threaded.length > 0;
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
    if (threaded.includes(g)) cutsOf.set(g, threadCuts(padded, lanes, threadCount));
    layouts.set(g, { size: g.size, padded, single, shared, variableOffset, lastOffset: take(4 * padded), spikesOffset: take(4 * padded) });
  }
  const inWasm = (index: number): boolean => layouts.has(instance.groups[index] as GroupInstance);
  // a projection onto a threaded group is split by target range into one part per thread: the
  // targets array is shared (rows are ascending), part k of row j runs from boundary k to k + 1
  // (boundary k: where each row's targets reach the first neuron `cut` of thread k + 1)
  interface Placed { rowOffset: number; targetsOffset: number; boundaries: Array<{ offset: number; cut: number }>; parts: ProjectionLayout[] }
  const placed = new Map<ProjectionInstance, Placed>();
  for (const p of instance.projections) {
    if (!scatterEligible(p, inWasm)) continue;
    const target = layouts.get(instance.groups[p.target] as GroupInstance) as Layout;
    const cuts = cutsOf.get(instance.groups[p.target] as GroupInstance);
    const rows = p.rowStart.length - 1;
    // keep well inside wasm32's 4 GiB address space: beyond 2 GiB the CSR arrays stay in JavaScript (JS scatter)
    if (bytes + p.rowStart.byteLength + p.targets.byteLength + (cuts ? (cuts.length - 2) * 4 * rows : 0) + 64 > 2 ** 31) continue;
    const source = layouts.get(instance.groups[p.source] as GroupInstance) as Layout;
    const rowOffset = take(p.rowStart.byteLength);
    const targetsOffset = take(p.targets.byteLength);
    const boundaries = (cuts ?? []).slice(1, -1).map((cut) => ({ offset: take(4 * rows), cut }));
    const begins = [rowOffset, ...boundaries.map((b) => b.offset)];
    const ends = [...boundaries.map((b) => b.offset), rowOffset + 4];
    const pathways = p.pathways.map((w) => ({ offset: target.variableOffset.get(w.variable) as number, increment: w.constantIncrement as number, sign: w.sign }));
    const parts = begins.map((beginOffset, k) => ({ beginOffset, endOffset: ends[k] as number, targetsOffset, spikesOffset: source.spikesOffset, single, shared, pathways }));
    placed.set(p, { rowOffset, targetsOffset, boundaries, parts });
  }
  const isSplit = (p: ProjectionInstance): boolean => (placed.get(p)?.parts.length ?? 0) > 1;
  // Overlapped scatters (wasm-threads.ts): onto a threaded group whose every incoming projection
  // is split and whose pathway variables neither its reset writes nor a state monitor records,
  // the calling thread does not wait for the workers' parts of a step's scatter before its
  // resets and monitors, only before its next hand-over; nothing in between touches those variables.
  const overlapTargets = new Set(threaded.filter((g) => {
    const incoming = instance.projections.filter((p) => p.target === g.index);
    const variables = new Set(incoming.flatMap((p) => p.pathways.map((w) => w.variable)));
    return incoming.length > 0 && incoming.every(isSplit) && !g.reset.some((r) => variables.has(r.target))
      && !instance.monitors.some((m) => m.kind === 'state' && m.group === g.index && m.variables.some((v) => variables.has(v)));
  }).map((g) => g.index));
  const pages = Math.max(1, Math.ceil(bytes / 65536));
  const memory = groups.length ? new WebAssembly.Memory(shared ? { initial: pages, maximum: pages, shared } : { initial: pages }) : undefined;
  const env = { env: { memory: memory as WebAssembly.Memory } };
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
  for (const [p, at] of placed) {
    const buffer = (memory as WebAssembly.Memory).buffer;
    const rowStart = new Int32Array(buffer, at.rowOffset, p.rowStart.length);
    rowStart.set(p.rowStart);
    p.rowStart = rowStart;
    const targets = new Int32Array(buffer, at.targetsOffset, p.targets.length);
    targets.set(p.targets);
    p.targets = targets;
    for (const { offset, cut } of at.boundaries) {
      const boundary = new Int32Array(buffer, offset, rowStart.length - 1);
      for (let j = 0; j < boundary.length; j++) {
        let k = rowStart[j] as number;
        const end = rowStart[j + 1] as number;
        while (k < end && (targets[k] as number) < cut) k++;
        boundary[j] = k;
      }
    }
  }
  const kernels = compileKernels(instance, random);
  type Update = (step: number, from: number, to: number, spikeBase: number) => number;
  const updateBytes = new Map<GroupInstance, Uint8Array>();
  const updates = new Map<GroupInstance, Update>();
  for (const [g, layout] of layouts) {
    const moduleBytes = groupModuleBytes(g, layout, instance.dtSeconds);
    const update = new WebAssembly.Instance(new WebAssembly.Module(moduleBytes as BufferSource), env).exports.update as Update;
    updateBytes.set(g, moduleBytes);
    updates.set(g, update);
    const padded = layout.padded;
    kernels.update[g.index] = (step) => update(step, 0, padded, 0);
  }
  const scatterBytes = new Map<ProjectionInstance, Uint8Array[]>();
  const scatterParts = new Map<ProjectionInstance, Array<(count: number) => void>>();
  instance.projections.forEach((p, index) => {
    const at = placed.get(p);
    if (!at) return;
    const partBytes = at.parts.map((part) => scatterModuleBytes(part));
    scatterBytes.set(p, partBytes);
    const scatters = partBytes.map((b) => new WebAssembly.Instance(new WebAssembly.Module(b as BufferSource), env).exports.propagate as (count: number) => void);
    scatterParts.set(p, scatters);
    const scatter = scatters[0] as (count: number) => void;
    kernels.propagate[index] = scatters.length === 1 ? (_step, _spikes, count) => scatter(count) : (_step, _spikes, count) => {
      for (const part of scatters) part(count);
    };
  });
  if (shared) {
    const split = instance.projections.filter(isSplit);
    const threads = new UpdateThreads(memory as WebAssembly.Memory, threaded.map((g) => updateBytes.get(g) as Uint8Array), split.map((p) => scatterBytes.get(p) as Uint8Array[]), threadCount, options.threadTimeoutMs);
    threaded.forEach((g, index) => {
      kernels.update[g.index] = threads.updateKernel(index, { update: updates.get(g) as Update, cuts: cutsOf.get(g) as number[], spikes: g.spikes });
    });
    split.forEach((p, index) => {
      const parts = scatterParts.get(p) as Array<(count: number) => void>;
      kernels.propagate[instance.projections.indexOf(p)] = threads.scatterKernel(index, parts, overlapTargets.has(p.target));
    });
    kernels.helpers = threads;
  }
  return kernels;
}

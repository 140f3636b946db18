import type { ProjectionInstance } from './build.ts';
import { moduleWithMemory } from './wasm-update.ts';
import { type WasmLocal, br, brIf, f32, f64, i32, localGet as get, localSet as set } from '@cajal/core';

/** The CSR spike scatter of the wasm backend (wasm.ts), for projections with constant increments and no delays. */

export interface ProjectionLayout {
  /** Byte offset of the Int32 array whose entry j is where row j starts in the targets (rowStart). */
  beginOffset: number;
  /** Byte offset of the array whose entry j is where row j ends (rowStart + 4: rowStart[j + 1]). */
  endOffset: number;
  targetsOffset: number;
  spikesOffset: number;
  single: boolean;
  /** Whether the module imports a shared memory (threaded updates). */
  shared: boolean;
  /** Byte offset of each pathway's target variable, with its signed constant increment. */
  pathways: Array<{ offset: number; increment: number; sign: 1 | -1 }>;
}

/** Whether a projection's spikes can be scattered in wasm: both groups in wasm memory, constant increments, no delays, no plasticity. */
export function scatterEligible(p: ProjectionInstance, inWasm: (index: number) => boolean): boolean {
  return inWasm(p.source) && inWasm(p.target) && !p.plasticity && p.pathways.length > 0 && p.pathways.every((w) => !w.ring && w.constantIncrement !== undefined);
}

/**
 * Rows walked side by side by the scatter. One row at a time, the loads of the next row's
 * targets start only when the current row ends; side by side, the CPU has misses of 16 rows in
 * flight at once. COBA 256,000 neurons, float32, excitatory scatter CPU s per 2,000 steps:
 * 1 row 0.51-0.54, 2 0.39, 4 0.32-0.34, 8 0.28-0.31, 16 0.29.
 */
const SCATTER_INTERLEAVE = 16;

/**
 * Emit the bytes of a projection's scatter module: `propagate(count)` walks the CSR rows of the
 * first `count` spikes of the source group (all in wasm memory) and adds each pathway's constant
 * increment to the target variable of every synapse, `interleave` rows side by side. The order
 * differs from the JavaScript kernel's (spike by spike), but every synapse of the projection
 * applies the same constant increments in the same pathway order, so each target sees the same
 * sequence of operations whatever the order of synapses: sums are bit-identical (the contract
 * suite checks). Each read-modify-write completes before the next, so a target listed twice is
 * handled as in JavaScript.
 */
export function scatterModuleBytes(layout: ProjectionLayout, interleave = SCATTER_INTERLEAVE): Uint8Array {
  const m = moduleWithMemory(layout.shared);
  const f = m.function({ params: ['i32'] });
  const [COUNT] = f.params;
  const [N, LIMIT, POST, ROW] = f.locals('i32', 4);
  const K: WasmLocal[] = [];
  const ROW_END: WasmLocal[] = [];
  for (let r = 0; r < Math.max(1, interleave); r++) {
    K.push(f.local('i32'));
    ROW_END.push(f.local('i32'));
  }
  const synapse = (r: number): void => {
    const k = K[r] as WasmLocal;
    f.emit(get(k), i32.load(layout.targetsOffset, 2), i32.const(layout.single ? 2 : 3), i32.shl, set(POST));
    for (const w of layout.pathways) {
      // f32: load, f32.const, f32.add/sub, store; f64 likewise
      if (layout.single) f.emit(get(POST), get(POST), f32.load(w.offset, 2), f32.const(w.increment), w.sign === 1 ? f32.add : f32.sub, f32.store(w.offset, 2));
      else f.emit(get(POST), get(POST), f64.load(w.offset, 3), f64.const(w.increment), w.sign === 1 ? f64.add : f64.sub, f64.store(w.offset, 3));
    }
    f.emit(get(k), i32.const(4), i32.add, set(k));
  };
  // the rows of `rows` consecutive spikes from N on, walked side by side while all have synapses left, then each to its end
  const walk = (rows: number): void => {
    for (let r = 0; r < rows; r++) {
      f.emit(get(N), i32.load(layout.spikesOffset + 4 * r, 2), i32.const(2), i32.shl, set(ROW));
      f.emit(get(ROW), i32.load(layout.beginOffset, 2), i32.const(2), i32.shl, set(K[r] as WasmLocal));
      f.emit(get(ROW), i32.load(layout.endOffset, 2), i32.const(2), i32.shl, set(ROW_END[r] as WasmLocal));
    }
    if (rows > 1) {
      f.block((done) => f.loop((next) => {
        for (let r = 0; r < rows; r++) {
          f.emit(get(K[r] as WasmLocal), get(ROW_END[r] as WasmLocal), i32.ltS);
          if (r > 0) f.emit(i32.and);
        }
        f.emit(i32.eqz, brIf(done));
        for (let r = 0; r < rows; r++) synapse(r);
        f.emit(br(next));
      }));
    }
    for (let r = 0; r < rows; r++) {
      f.block((done) => f.loop((next) => {
        f.emit(get(K[r] as WasmLocal), get(ROW_END[r] as WasmLocal), i32.geS, brIf(done));
        synapse(r);
        f.emit(br(next));
      }));
    }
    f.emit(get(N), i32.const(4 * rows), i32.add, set(N));
  };
  f.emit(get(COUNT), i32.const(2), i32.shl, set(LIMIT));
  // whole groups of `interleave` spikes, then the rest one by one
  f.block((done) => f.loop((next) => {
    f.emit(get(N), i32.const(4 * interleave), i32.add, get(LIMIT), i32.gtU, brIf(done));
    walk(interleave);
    f.emit(br(next));
  }));
  f.block((done) => f.loop((next) => {
    f.emit(get(N), get(LIMIT), i32.geU, brIf(done));
    walk(1);
    f.emit(br(next));
  }));
  return m.exportFunction('propagate', f).bytes();
}

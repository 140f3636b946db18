import type { GroupInstance } from './build.ts';
import { type Expression, constantValue } from './expression.ts';
import {
  type Instruction, type WasmGlobal, type WasmLocal, WasmModuleBuilder, br, brIf, f32, f32x4, f64, f64x2, globalGet, i32, i32x4, i64, i64x2, localGet as get,
  localSet as set, localTee as tee, v128,
} from '@cajal/core';

/**
 * The lane-wise code generator of the wasm backend (wasm.ts): a neuron group's update program
 * becomes a wasm function that advances two neurons per vector with f64x2 arithmetic (double
 * precision) or four with f32x4 (single precision), four vectors per loop iteration, with
 * refractoriness as an integer lane mask and the threshold test fused in.
 */

/** The lane-width-specific opcodes: f64x2 with i64x2 masks, or f32x4 with i32x4 masks. */
export interface Width {
  lanes: number;
  /** Bytes per lane (8 or 4). */
  laneBytes: number;
  splat: Instruction;
  /** `v128.const` with `x` in every lane. */
  vector: (x: number) => readonly number[];
  arith: Record<string, Instruction>;
  cmp: Record<string, Instruction>;
  abs: Instruction;
  neg: Instruction;
  sqrt: Instruction;
  bitmask: Instruction;
  intSplat: Instruction;
  /** Signed integer less-than on the lane width (one compare instruction on x64). */
  intLtS: Instruction;
}
const DOUBLE: Width = {
  lanes: 2, laneBytes: 8, splat: f64x2.splat, vector: (x) => v128.const(new Float64Array(2).fill(x)),
  arith: { '+': f64x2.add, '-': f64x2.sub, '*': f64x2.mul, '/': f64x2.div },
  cmp: { '==': f64x2.eq, '!=': f64x2.ne, '<': f64x2.lt, '>': f64x2.gt, '<=': f64x2.le, '>=': f64x2.ge },
  abs: f64x2.abs, neg: f64x2.neg, sqrt: f64x2.sqrt, bitmask: i64x2.bitmask, intSplat: i64x2.splat, intLtS: i64x2.ltS,
};
const SINGLE: Width = {
  lanes: 4, laneBytes: 4, splat: f32x4.splat, vector: (x) => v128.const(new Float32Array(4).fill(x)),
  arith: { '+': f32x4.add, '-': f32x4.sub, '*': f32x4.mul, '/': f32x4.div },
  cmp: { '==': f32x4.eq, '!=': f32x4.ne, '<': f32x4.lt, '>': f32x4.gt, '<=': f32x4.le, '>=': f32x4.ge },
  abs: f32x4.abs, neg: f32x4.neg, sqrt: f32x4.sqrt, bitmask: i32x4.bitmask, intSplat: i32x4.splat, intLtS: i32x4.ltS,
};
/** The vector width of a network's precision (the memory layout pads to it, the generator steps by it). */
export const vectorWidth = (single: boolean): Width => (single ? SINGLE : DOUBLE);
/** Whether an expression can be evaluated lane-wise by the generator. */
function supported(e: Expression): boolean {
  switch (e.kind) {
    case 'number': return true;
    case 'name': return e.name !== 'i';
    case 'unary': return supported(e.argument);
    case 'select': return supported(e.test) && supported(e.then) && supported(e.otherwise);
    case 'call': return (e.name === 'abs' || e.name === 'sqrt' || e.name === 'fround') && e.args.every(supported);
    case 'binary':
      if (e.op === '**') {
        const p = constantValue(e.right);
        return (p === 2 || p === 3) && supported(e.left);
      }
      return supported(e.left) && supported(e.right);
  }
}

/** Whether a group's update can run as wasm SIMD. */
export function wasmEligible(g: GroupInstance): boolean {
  return g.kind === 'neurons' && g.regular.length === 0 && g.program.every((a) => supported(a.expression)) && (!g.threshold || supported(g.threshold));
}
/**
 * Vectors per loop iteration of a group update (layouts pad sizes to a multiple of UNROLL vectors).
 * Kernel bench, COBA 64,000 neurons, ns per neuron-step (double / single): 1 -> 2.41 / 1.09,
 * 2 -> 1.69 / 0.86, 4 -> 1.40-1.48 / 0.67-0.72, 8 -> 1.34 / 0.65.
 */
export const UNROLL = 4;

export interface Layout {
  size: number;
  /** Size rounded up to a whole number of SIMD vectors. */
  padded: number;
  single: boolean;
  /** Whether the module imports a shared memory (threaded updates, wasm-threads.ts). */
  shared: boolean;
  variableOffset: Map<string, number>;
  lastOffset: number;
  spikesOffset: number;
}

/** A module builder that imports `env.memory`: plain, or shared (maximum the whole wasm32 space) for threads. */
export function moduleWithMemory(shared: boolean): WasmModuleBuilder {
  return new WasmModuleBuilder().importMemory('env', 'memory', shared ? { initial: 0, maximum: 65536, shared } : { initial: 0 });
}

/**
 * Emit the bytes of one group's module (imports env.memory, exports
 * `update(step, from, to, spikeBase) -> spike count`). It advances neurons from..to-1 (both
 * multiples of lanes x UNROLL; 0..padded for the whole group) and writes the indices of those that
 * spike, in order, to the spike list from byte `spikeBase` on (0 for its start; threads give each
 * range its own part of the list, wasm-threads.ts).
 * Per iteration: one vector of neurons (2 in double, 4 in single precision); state is loaded
 * into locals, the program runs on them, assigned variables are stored back, and the threshold
 * mask (and-ed with not_refractory) appends spiking lanes to the spike list.
 */
export function groupModuleBytes(g: GroupInstance, layout: Layout, dtSeconds: number): Uint8Array {
  const W = vectorWidth(layout.single);
  const m = moduleWithMemory(layout.shared);
  const f = m.function({ params: ['i32', 'i32', 'i32', 'i32'], results: ['i32'] });
  const [STEP, FROM, TO, SPIKE_BASE] = f.params;
  // OFF: byte offset of neuron I in the state arrays; LAST: in lastSpikeStep (Int32)
  const [I, COUNT, BITS, OFF, LAST] = f.locals('i32', 5);
  const scratch = (): WasmLocal => f.local('v128');
  const NR = scratch();
  const T = scratch();
  const LIMIT = scratch(); // step - refractorySteps + 1 in every integer lane
  // the loop body handles UNROLL vectors; `u` is the one being emitted, with its own locals
  let u = 0;
  const local = new Map<string, WasmLocal>();
  const localOf = (n: string): WasmLocal => {
    const key = `${u}:${n}`;
    let k = local.get(key);
    if (k === undefined) {
      k = scratch();
      local.set(key, k);
    }
    return k;
  };
  const notRefractory = [NR];
  for (let x = 1; x < UNROLL; x++) notRefractory.push(g.refractorySteps > 0 ? scratch() : NR);
  const nr = (): WasmLocal => notRefractory[u] as WasmLocal;
  // Constants live in locals set once before the loop from mutable globals: a local set from
  // v128.const would be folded back into the loop by TurboFan and rebuilt there every iteration
  // (three instructions per constant on x64), while a global's value is a load it cannot fold.
  const constants = new Map<number, { local: WasmLocal; global: WasmGlobal }>();
  const constantLocal = (x: number): WasmLocal => {
    const key = Object.is(x, -0) ? -0 : x;
    let k = constants.get(key);
    if (k === undefined) {
      k = { local: scratch(), global: m.global('v128', W.vector(x), true) };
      constants.set(key, k);
    }
    return k.local;
  };
  const ONE = constantLocal(1);
  const ZERO = constantLocal(0);
  const refractory = g.refractorySteps > 0;
  const variableNames = [...g.variables.keys()];
  const emit = (...parts: Instruction[]): void => {
    f.emit(...parts);
  };
  const isPositiveZero = (e: Expression): boolean => e.kind === 'number' && e.value === 0 && !Object.is(e.value, -0);
  const value = (e: Expression): void => {
    switch (e.kind) {
      case 'number':
        emit(get(constantLocal(e.value)));
        return;
      case 'name':
        if (e.name === 't') emit(get(T));
        else if (e.name === 'dt') emit(get(constantLocal(layout.single ? Math.fround(dtSeconds) : dtSeconds)));
        else if (e.name === 'N') emit(get(constantLocal(g.size)));
        else if (e.name === 'not_refractory') emit(get(ONE), get(nr()), v128.and);
        else emit(get(localOf(e.name)));
        return;
      case 'unary':
        if (e.op === '-') {
          value(e.argument);
          emit(W.neg);
        } else {
          emit(get(ONE));
          mask(e.argument);
          emit(v128.andNot);
        }
        return;
      case 'select':
        // +0 has all bits clear, so (x if m else 0) is x & m and (0 if m else x) is x & ~m
        if (isPositiveZero(e.otherwise)) {
          value(e.then);
          mask(e.test);
          emit(v128.and);
        } else if (isPositiveZero(e.then)) {
          value(e.otherwise);
          mask(e.test);
          emit(v128.andNot);
        } else {
          value(e.then);
          value(e.otherwise);
          mask(e.test);
          emit(v128.bitselect);
        }
        return;
      case 'call':
        value(e.args[0] as Expression);
        if (e.name === 'fround') {
          // single precision: already float32; double: round through f32 lanes and back
          if (!layout.single) emit(f32x4.demoteF64x2Zero, f64x2.promoteLowF32x4);
        } else emit(e.name === 'abs' ? W.abs : W.sqrt);
        return;
      case 'binary': {
        const arith = W.arith[e.op];
        if (arith !== undefined) {
          value(e.left);
          value(e.right);
          emit(arith);
          return;
        }
        if (e.op === '**') {
          const s = scratch();
          value(e.left);
          emit(tee(s), get(s), W.arith['*'] as Instruction);
          if (constantValue(e.right) === 3) emit(get(s), W.arith['*'] as Instruction);
          return;
        }
        emit(get(ONE));
        mask(e);
        emit(v128.and);
      }
    }
  };
  // All-ones lanes where the JavaScript kernel would take the expression as true.
  const mask = (e: Expression): void => {
    if (e.kind === 'name' && e.name === 'not_refractory') {
      emit(get(nr()));
      return;
    }
    if (e.kind === 'binary' && W.cmp[e.op] !== undefined) {
      value(e.left);
      value(e.right);
      emit(W.cmp[e.op] as Instruction);
      return;
    }
    if (e.kind === 'binary' && (e.op === 'and' || e.op === 'or')) {
      mask(e.left);
      mask(e.right);
      emit(e.op === 'and' ? v128.and : v128.or);
      return;
    }
    if (e.kind === 'unary' && e.op === 'not') {
      mask(e.argument);
      emit(v128.not);
      return;
    }
    // truthy: x != 0 and x == x (NaN is falsy)
    const s = scratch();
    value(e);
    emit(tee(s), get(ZERO), W.cmp['!='] as Instruction, get(s), get(s), W.cmp['=='] as Instruction, v128.and);
  };
  // prologue: t (rounded to float32 in single precision, as fround(t) in JavaScript), step as integer lanes
  emit(get(STEP), f64.convertI32S, f64.const(dtSeconds), f64.mul);
  if (layout.single) emit(f32.demoteF64);
  emit(W.splat, set(T));
  // not refractory: step - last >= refractorySteps, i.e. last < step - refractorySteps + 1 (one
  // signed compare per vector instead of subtract, compare and invert)
  emit(get(STEP), i32.const(1 - g.refractorySteps), i32.add);
  if (!layout.single) emit(i64.extendI32S);
  emit(W.intSplat, set(LIMIT));
  if (!refractory) emit(v128.const(new Uint8Array(16).fill(0xff)), set(NR));
  emit(i32.const(0), set(COUNT), get(FROM), set(I), get(FROM), i32.const(W.laneBytes), i32.mul, set(OFF), get(FROM), i32.const(4), i32.mul, set(LAST));
  const used = new Set<string>();
  const collect = (e: Expression): void => {
    if (e.kind === 'name') used.add(e.name);
    else if (e.kind === 'unary') collect(e.argument);
    else if (e.kind === 'binary') {
      collect(e.left);
      collect(e.right);
    } else if (e.kind === 'select') {
      collect(e.test);
      collect(e.then);
      collect(e.otherwise);
    } else if (e.kind === 'call') e.args.forEach(collect);
  };
  for (const a of g.program) collect(a.expression);
  if (g.threshold) collect(g.threshold);
  const assigned = new Set(g.program.map((a) => a.target));
  f.block((done) => f.loop((next) => {
    emit(get(I), get(TO), i32.geS, brIf(done));
    for (u = 0; u < UNROLL; u++) {
      const bytes = 16 * u; // this vector's byte offset from OFF
      const first = W.lanes * u; // its first neuron relative to I
      if (refractory) {
        emit(get(LAST));
        if (layout.single) emit(v128.load(layout.lastOffset + 4 * first, 4));
        else emit(v128.load32x2S(layout.lastOffset + 4 * first, 3));
        emit(get(LIMIT), W.intLtS, set(nr()));
      }
      for (const v of variableNames) {
        if (!used.has(v) && !assigned.has(v)) continue;
        emit(get(OFF), v128.load((layout.variableOffset.get(v) as number) + bytes, 4), set(localOf(v)));
      }
      for (const a of g.program) {
        value(a.expression);
        emit(set(localOf(a.target)));
      }
      for (const v of variableNames) {
        if (!assigned.has(v)) continue;
        emit(get(OFF), get(localOf(v)), v128.store((layout.variableOffset.get(v) as number) + bytes, 4));
      }
      if (g.threshold) {
        mask(g.threshold);
        if (refractory) emit(get(nr()), v128.and);
        emit(W.bitmask, tee(BITS));
        f.if(() => {
          for (let lane = 0; lane < W.lanes; lane++) {
            // if ((bits >> lane) & 1) && i + lane < size: spikes[count++] = i + lane; last[i + lane] = step
            const n = first + lane;
            emit(get(BITS), i32.const(lane), i32.shrU, i32.const(1), i32.and, get(I), i32.const(n), i32.add, i32.const(layout.size), i32.ltS, i32.and);
            f.if(() => {
              emit(get(COUNT), i32.const(2), i32.shl, get(SPIKE_BASE), i32.add, get(I), i32.const(n), i32.add, i32.store(layout.spikesOffset, 2));
              emit(get(LAST), get(STEP), i32.store(layout.lastOffset + 4 * n, 2));
              emit(get(COUNT), i32.const(1), i32.add, set(COUNT));
            });
          }
        });
      }
    }
    emit(get(I), i32.const(W.lanes * UNROLL), i32.add, set(I));
    emit(get(OFF), i32.const(16 * UNROLL), i32.add, set(OFF));
    emit(get(LAST), i32.const(4 * W.lanes * UNROLL), i32.add, set(LAST));
    emit(br(next));
  }));
  emit(get(COUNT));
  f.prepend(...[...constants.values()].flatMap(({ local: k, global }) => [globalGet(global), set(k)]));
  return m.exportFunction('update', f).bytes();
}

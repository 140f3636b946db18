import type { GroupInstance } from './build.ts';
import { type Expression, constantValue } from './expression.ts';
import {
  BLOCK, END, I32_STORE, IF, LOOP, br, brIf, globalGet, i32Const as i32, localGet as get, localSet as set, localTee as tee, op, scalarMemory,
  section, simd, simdMemory, simdOp, unsignedLeb as uleb, v128Const, wasmModule, wasmName as name,
} from '@cajal/core';

/**
 * The lane-wise code generator of the wasm backend (wasm.ts): a neuron group's update program
 * becomes a wasm function that advances two neurons per vector with f64x2 arithmetic (double
 * precision) or four with f32x4 (single precision), four vectors per loop iteration, with
 * refractoriness as an integer lane mask and the threshold test fused in.
 */

/** The bytes of a float64 / float32 constant (f64.const / f32.const immediates). */
export const f64Bytes = (x: number): number[] => [...new Uint8Array(new Float64Array([x]).buffer)];
export const f32Bytes = (x: number): number[] => [...new Uint8Array(new Float32Array([x]).buffer)];

/** The lane-width-specific opcodes: f64x2 with i64x2 masks, or f32x4 with i32x4 masks. */
export interface Width {
  lanes: number;
  /** Bytes per lane (8 or 4). */
  laneBytes: number;
  splat: number;
  /** `v128.const` with `x` in every lane. */
  vector: (x: number) => number[];
  arith: Record<string, number>;
  cmp: Record<string, number>;
  abs: number;
  neg: number;
  sqrt: number;
  bitmask: number;
  intSplat: number;
  /** Signed integer less-than on the lane width (one compare instruction on x64). */
  intLtS: number;
}
const DOUBLE: Width = {
  lanes: 2, laneBytes: 8, splat: simdOp.f64x2Splat, vector: (x) => v128Const(new Float64Array(2).fill(x)),
  arith: { '+': simdOp.f64x2Add, '-': simdOp.f64x2Sub, '*': simdOp.f64x2Mul, '/': simdOp.f64x2Div },
  cmp: { '==': simdOp.f64x2Eq, '!=': simdOp.f64x2Ne, '<': simdOp.f64x2Lt, '>': simdOp.f64x2Gt, '<=': simdOp.f64x2Le, '>=': simdOp.f64x2Ge },
  abs: simdOp.f64x2Abs, neg: simdOp.f64x2Neg, sqrt: simdOp.f64x2Sqrt, bitmask: simdOp.i64x2Bitmask, intSplat: simdOp.i64x2Splat, intLtS: simdOp.i64x2LtS,
};
const SINGLE: Width = {
  lanes: 4, laneBytes: 4, splat: simdOp.f32x4Splat, vector: (x) => v128Const(new Float32Array(4).fill(x)),
  arith: { '+': simdOp.f32x4Add, '-': simdOp.f32x4Sub, '*': simdOp.f32x4Mul, '/': simdOp.f32x4Div },
  cmp: { '==': simdOp.f32x4Eq, '!=': simdOp.f32x4Ne, '<': simdOp.f32x4Lt, '>': simdOp.f32x4Gt, '<=': simdOp.f32x4Le, '>=': simdOp.f32x4Ge },
  abs: simdOp.f32x4Abs, neg: simdOp.f32x4Neg, sqrt: simdOp.f32x4Sqrt, bitmask: simdOp.i32x4Bitmask, intSplat: simdOp.i32x4Splat, intLtS: simdOp.i32x4LtS,
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

/** The import of `env.memory`: plain, or shared (limits flag 3, maximum the whole wasm32 space) for threads. */
export const memoryImport = (shared: boolean): number[] =>
  [1, ...name('env'), ...name('memory'), 0x02, ...(shared ? [0x03, 0, ...uleb(65536)] : [0x00, 0])];

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
  const STEP = 0;
  const FROM = 1;
  const TO = 2;
  const SPIKE_BASE = 3;
  const I = 4;
  const COUNT = 5;
  const BITS = 6;
  const OFF = 7; // byte offset of neuron I in the state arrays
  const LAST = 8; // byte offset of neuron I in lastSpikeStep (Int32)
  const firstVector = 9;
  const NR = firstVector;
  const T = firstVector + 1;
  const LIMIT = firstVector + 2; // step - refractorySteps + 1 in every integer lane
  let vectorLocals = 3;
  // the loop body handles UNROLL vectors; `u` is the one being emitted, with its own locals
  let u = 0;
  const local = new Map<string, number>();
  const localOf = (n: string): number => {
    const key = `${u}:${n}`;
    let k = local.get(key);
    if (k === undefined) {
      k = firstVector + vectorLocals++;
      local.set(key, k);
    }
    return k;
  };
  const notRefractory = [NR];
  for (let x = 1; x < UNROLL; x++) notRefractory.push(g.refractorySteps > 0 ? firstVector + vectorLocals++ : NR);
  const nr = (): number => notRefractory[u] as number;
  const scratch = (): number => firstVector + vectorLocals++;
  // Constants live in locals set once before the loop from mutable globals: a local set from
  // v128.const would be folded back into the loop by TurboFan and rebuilt there every iteration
  // (three instructions per constant on x64), while a global's value is a load it cannot fold.
  const constants = new Map<number, number>();
  const constantLocal = (x: number): number => {
    const key = Object.is(x, -0) ? -0 : x;
    let k = constants.get(key);
    if (k === undefined) {
      k = scratch();
      constants.set(key, k);
    }
    return k;
  };
  const ONE = constantLocal(1);
  const ZERO = constantLocal(0);
  const refractory = g.refractorySteps > 0;
  const variableNames = [...g.variables.keys()];
  const code: number[] = [];
  const emit = (...parts: number[][]): void => {
    for (const p of parts) code.push(...p);
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
        else if (e.name === 'not_refractory') emit(get(ONE), get(nr()), simd(simdOp.v128And));
        else emit(get(localOf(e.name)));
        return;
      case 'unary':
        if (e.op === '-') {
          value(e.argument);
          emit(simd(W.neg));
        } else {
          emit(get(ONE));
          mask(e.argument);
          emit(simd(simdOp.v128AndNot));
        }
        return;
      case 'select':
        // +0 has all bits clear, so (x if m else 0) is x & m and (0 if m else x) is x & ~m
        if (isPositiveZero(e.otherwise)) {
          value(e.then);
          mask(e.test);
          emit(simd(simdOp.v128And));
        } else if (isPositiveZero(e.then)) {
          value(e.otherwise);
          mask(e.test);
          emit(simd(simdOp.v128AndNot));
        } else {
          value(e.then);
          value(e.otherwise);
          mask(e.test);
          emit(simd(simdOp.v128Bitselect));
        }
        return;
      case 'call':
        value(e.args[0] as Expression);
        if (e.name === 'fround') {
          // single precision: already float32; double: round through f32 lanes and back
          if (!layout.single) emit(simd(simdOp.f32x4DemoteF64x2Zero), simd(simdOp.f64x2PromoteLowF32x4));
        } else emit(simd(e.name === 'abs' ? W.abs : W.sqrt));
        return;
      case 'binary': {
        const arith = W.arith[e.op];
        if (arith !== undefined) {
          value(e.left);
          value(e.right);
          emit(simd(arith));
          return;
        }
        if (e.op === '**') {
          const s = scratch();
          value(e.left);
          emit(tee(s), get(s), simd(W.arith['*'] as number));
          if (constantValue(e.right) === 3) emit(get(s), simd(W.arith['*'] as number));
          return;
        }
        emit(get(ONE));
        mask(e);
        emit(simd(simdOp.v128And));
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
      emit(simd(W.cmp[e.op] as number));
      return;
    }
    if (e.kind === 'binary' && (e.op === 'and' || e.op === 'or')) {
      mask(e.left);
      mask(e.right);
      emit(simd(e.op === 'and' ? simdOp.v128And : simdOp.v128Or));
      return;
    }
    if (e.kind === 'unary' && e.op === 'not') {
      mask(e.argument);
      emit(simd(simdOp.v128Not));
      return;
    }
    // truthy: x != 0 and x == x (NaN is falsy)
    const s = scratch();
    value(e);
    emit(tee(s), get(ZERO), simd(W.cmp['!='] as number), get(s), get(s), simd(W.cmp['=='] as number), simd(simdOp.v128And));
  };
  // prologue: t (rounded to float32 in single precision, as fround(t) in JavaScript), step as integer lanes
  emit(get(STEP), [op.f64ConvertI32S, op.f64Const, ...f64Bytes(dtSeconds), op.f64Mul]);
  if (layout.single) emit([op.f32DemoteF64]);
  emit(simd(W.splat), set(T));
  // not refractory: step - last >= refractorySteps, i.e. last < step - refractorySteps + 1 (one
  // signed compare per vector instead of subtract, compare and invert)
  emit(get(STEP), i32(1 - g.refractorySteps), [op.i32Add]);
  if (!layout.single) emit([op.i64ExtendI32S]);
  emit(simd(W.intSplat), set(LIMIT));
  if (!refractory) emit(v128Const(new Uint8Array(16).fill(0xff)), set(NR));
  emit(i32(0), set(COUNT), get(FROM), set(I), get(FROM), i32(W.laneBytes), [op.i32Mul], set(OFF), get(FROM), i32(4), [op.i32Mul], set(LAST));
  emit(BLOCK, LOOP);
  emit(get(I), get(TO), [op.i32GeS], brIf(1));
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
  for (u = 0; u < UNROLL; u++) {
    const bytes = 16 * u; // this vector's byte offset from OFF
    const first = W.lanes * u; // its first neuron relative to I
    if (refractory) {
      emit(get(LAST));
      if (layout.single) emit(simdMemory(simdOp.v128Load, 4, layout.lastOffset + 4 * first));
      else emit(simdMemory(simdOp.v128Load32x2S, 3, layout.lastOffset + 4 * first));
      emit(get(LIMIT), simd(W.intLtS), set(nr()));
    }
    for (const v of variableNames) {
      if (!used.has(v) && !assigned.has(v)) continue;
      emit(get(OFF), simdMemory(simdOp.v128Load, 4, (layout.variableOffset.get(v) as number) + bytes), set(localOf(v)));
    }
    for (const a of g.program) {
      value(a.expression);
      emit(set(localOf(a.target)));
    }
    for (const v of variableNames) {
      if (!assigned.has(v)) continue;
      emit(get(OFF), get(localOf(v)), simdMemory(simdOp.v128Store, 4, (layout.variableOffset.get(v) as number) + bytes));
    }
    if (g.threshold) {
      mask(g.threshold);
      if (refractory) emit(get(nr()), simd(simdOp.v128And));
      emit(simd(W.bitmask), tee(BITS), IF);
      for (let lane = 0; lane < W.lanes; lane++) {
        // if ((bits >> lane) & 1) && i + lane < size: spikes[count++] = i + lane; last[i + lane] = step
        const n = first + lane;
        emit(get(BITS), i32(lane), [op.i32ShrU], i32(1), [op.i32And], get(I), i32(n), [op.i32Add], i32(layout.size), [op.i32LtS, op.i32And], IF);
        emit(get(COUNT), i32(2), [op.i32Shl], get(SPIKE_BASE), [op.i32Add], get(I), i32(n), [op.i32Add], scalarMemory(I32_STORE, 2, layout.spikesOffset));
        emit(get(LAST), get(STEP), scalarMemory(I32_STORE, 2, layout.lastOffset + 4 * n));
        emit(get(COUNT), i32(1), [op.i32Add], set(COUNT), [END]);
      }
      emit([END]);
    }
  }
  emit(get(I), i32(W.lanes * UNROLL), [op.i32Add], set(I));
  emit(get(OFF), i32(16 * UNROLL), [op.i32Add], set(OFF));
  emit(get(LAST), i32(4 * W.lanes * UNROLL), [op.i32Add], set(LAST));
  emit(br(0), [END, END]);
  emit(get(COUNT), [END]);
  const constantSetup: number[] = [];
  const globals: number[] = [];
  [...constants].forEach(([x, k], index) => {
    constantSetup.push(...globalGet(index), ...set(k));
    globals.push(0x7b, 1, ...W.vector(x), END);
  });
  code.splice(0, 0, ...constantSetup);
  const locals = [2, 5, 0x7f, ...uleb(vectorLocals), 0x7b];
  const body = [...locals, ...code];
  return wasmModule([
    section(1, [1, 0x60, 4, 0x7f, 0x7f, 0x7f, 0x7f, 1, 0x7f]),
    section(2, memoryImport(layout.shared)),
    section(3, [1, 0]),
    section(6, [...uleb(constants.size), ...globals]),
    section(7, [1, ...name('update'), 0x00, 0]),
    section(10, [1, ...uleb(body.length), ...body]),
  ]);
}

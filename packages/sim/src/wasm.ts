import type { Random } from '@cajal/core';
import type { GroupInstance, NetworkInstance } from './build.ts';
import { compileKernels } from './compiler.ts';
import { type Expression, constantValue } from './expression.ts';
import type { Kernels } from './simulation.ts';
import { i32Const as i32, localGet as get, localSet as set, localTee as tee, section, signedLeb as sleb, unsignedLeb as uleb, wasmName as name } from '@cajal/core';

/**
 * The WebAssembly SIMD code generator: a neuron group's update program becomes a wasm function
 * that advances two neurons per iteration with f64x2 arithmetic, with refractoriness as an
 * i64x2 mask and the threshold test fused in (spikes appended in index order). State arrays
 * move into one wasm memory; the group's Float64Array views are swapped for views of it, so
 * synaptic propagation, resets, monitors and plasticity (generated JavaScript) see the same
 * numbers. Wasm f64 arithmetic is IEEE like JavaScript's and there is no fused multiply-add,
 * so results are bit-identical to the reference interpreter (the contract suite checks).
 * Groups whose programs call functions other than abs/sqrt, use random numbers, the index `i`
 * or regular statements keep the JavaScript kernel.
 */

const simd = (op: number): number[] => [0xfd, ...uleb(op)];
const f64Bytes = (x: number): number[] => [...new Uint8Array(new Float64Array([x]).buffer)];
const vConst = (x: number): number[] => [...simd(0x0c), ...f64Bytes(x), ...f64Bytes(x)];
const memarg = (align: number, offset: number): number[] => [align, ...uleb(offset)];

const V_LOAD = 0x00;
const V_LOAD32X2_S = 0x05;
const V_STORE = 0x0b;
const I64X2_SPLAT = 0x12;
const F64X2_SPLAT = 0x14;
const V_NOT = 0x4d;
const V_AND = 0x4e;
const V_OR = 0x50;
const V_BITSELECT = 0x52;
const F64X2_CMP: Record<string, number> = { '==': 0x47, '!=': 0x48, '<': 0x49, '>': 0x4a, '<=': 0x4b, '>=': 0x4c };
const I64X2_BITMASK = 0xc4;
const I64X2_SUB = 0xd1;
const I64X2_GE_S = 0xdb;
const F64X2_ABS = 0xec;
const F64X2_NEG = 0xed;
const F64X2_SQRT = 0xef;
const F64X2_ARITH: Record<string, number> = { '+': 0xf0, '-': 0xf1, '*': 0xf2, '/': 0xf3 };

/** Whether an expression can be evaluated lane-wise by the generator. */
function supported(e: Expression): boolean {
  switch (e.kind) {
    case 'number': return true;
    case 'name': return e.name !== 'i';
    case 'unary': return supported(e.argument);
    case 'select': return supported(e.test) && supported(e.then) && supported(e.otherwise);
    case 'call': return (e.name === 'abs' || e.name === 'sqrt') && e.args.every(supported);
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

let simdAvailable: boolean | undefined;
/** Whether this engine runs WebAssembly SIMD (checked once with a tiny module). */
export function wasmSimdAvailable(): boolean {
  if (simdAvailable === undefined) {
    try {
      const body = [0, ...vConst(1), 0x1a, 0x0b];
      const bytes = [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00, ...section(1, [1, 0x60, 0, 0]), ...section(3, [1, 0]), ...section(10, [1, ...uleb(body.length), ...body])];
      simdAvailable = typeof WebAssembly === 'object' && WebAssembly.validate(new Uint8Array(bytes));
    } catch {
      simdAvailable = false;
    }
  }
  return simdAvailable;
}

interface Layout {
  size: number;
  padded: number;
  variableOffset: Map<string, number>;
  lastOffset: number;
  spikesOffset: number;
}

/** Emit the bytes of one group's module (imports env.memory, exports update(step) -> spike count). */
export function groupModuleBytes(g: GroupInstance, layout: Layout, dtSeconds: number): Uint8Array {
  const STEP = 0;
  const I = 1;
  const COUNT = 2;
  const BITS = 3;
  const firstVector = 4;
  const NR = firstVector;
  const T = firstVector + 1;
  const STEPV = firstVector + 2;
  const ONE = firstVector + 3;
  const ZERO = firstVector + 4;
  let vectorLocals = 5;
  const local = new Map<string, number>();
  const localOf = (n: string): number => {
    let k = local.get(n);
    if (k === undefined) {
      k = firstVector + vectorLocals++;
      local.set(n, k);
    }
    return k;
  };
  const scratch = (): number => firstVector + vectorLocals++;
  // Constants live in locals set once before the loop (no re-materialisation per iteration).
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
  const refractory = g.refractorySteps > 0;
  const variableNames = [...g.variables.keys()];
  const code: number[] = [];
  const emit = (...parts: number[][]): void => {
    for (const p of parts) code.push(...p);
  };
  const value = (e: Expression): void => {
    switch (e.kind) {
      case 'number':
        emit(get(constantLocal(e.value)));
        return;
      case 'name':
        if (e.name === 't') emit(get(T));
        else if (e.name === 'dt') emit(get(constantLocal(dtSeconds)));
        else if (e.name === 'N') emit(get(constantLocal(g.size)));
        else if (e.name === 'not_refractory') emit(get(ONE), get(ZERO), get(NR), simd(V_BITSELECT));
        else emit(get(localOf(e.name)));
        return;
      case 'unary':
        if (e.op === '-') {
          value(e.argument);
          emit(simd(F64X2_NEG));
        } else {
          emit(get(ZERO), get(ONE));
          mask(e.argument);
          emit(simd(V_BITSELECT));
        }
        return;
      case 'select':
        value(e.then);
        value(e.otherwise);
        mask(e.test);
        emit(simd(V_BITSELECT));
        return;
      case 'call':
        value(e.args[0] as Expression);
        emit(simd(e.name === 'abs' ? F64X2_ABS : F64X2_SQRT));
        return;
      case 'binary': {
        const arith = F64X2_ARITH[e.op];
        if (arith !== undefined) {
          value(e.left);
          value(e.right);
          emit(simd(arith));
          return;
        }
        if (e.op === '**') {
          const s = scratch();
          value(e.left);
          emit(tee(s), get(s), simd(F64X2_ARITH['*'] as number));
          if (constantValue(e.right) === 3) emit(get(s), simd(F64X2_ARITH['*'] as number));
          return;
        }
        emit(get(ONE), get(ZERO));
        mask(e);
        emit(simd(V_BITSELECT));
      }
    }
  };
  // All-ones lanes where the JavaScript kernel would take the expression as true.
  const mask = (e: Expression): void => {
    if (e.kind === 'name' && e.name === 'not_refractory') {
      emit(get(NR));
      return;
    }
    if (e.kind === 'binary' && F64X2_CMP[e.op] !== undefined) {
      value(e.left);
      value(e.right);
      emit(simd(F64X2_CMP[e.op] as number));
      return;
    }
    if (e.kind === 'binary' && (e.op === 'and' || e.op === 'or')) {
      mask(e.left);
      mask(e.right);
      emit(simd(e.op === 'and' ? V_AND : V_OR));
      return;
    }
    if (e.kind === 'unary' && e.op === 'not') {
      mask(e.argument);
      emit(simd(V_NOT));
      return;
    }
    // truthy: x != 0 and x == x (NaN is falsy)
    const s = scratch();
    value(e);
    emit(tee(s), get(ZERO), simd(F64X2_CMP['!='] as number), get(s), get(s), simd(F64X2_CMP['=='] as number), simd(V_AND));
  };
  // prologue
  emit(get(STEP), [0xb7], [0x44, ...f64Bytes(dtSeconds)], [0xa2], simd(F64X2_SPLAT), set(T));
  emit(get(STEP), [0xac], simd(I64X2_SPLAT), set(STEPV));
  emit(vConst(1), set(ONE), vConst(0), set(ZERO));
  if (!refractory) emit(vConst(Number.NaN), set(NR), get(NR), get(NR), simd(F64X2_CMP['!='] as number), set(NR));
  emit(i32(0), set(COUNT), i32(0), set(I));
  const prologueLength = code.length;
  emit([0x02, 0x40], [0x03, 0x40]);
  emit(get(I), i32(layout.padded), [0x4e], [0x0d, 1]);
  if (refractory) {
    emit(get(STEPV), get(I), i32(2), [0x74], simd(V_LOAD32X2_S), memarg(3, layout.lastOffset), simd(I64X2_SUB));
    emit([0x42, ...sleb(g.refractorySteps)], simd(I64X2_SPLAT), simd(I64X2_GE_S), set(NR));
  }
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
  for (const v of variableNames) {
    if (!used.has(v) && !assigned.has(v)) continue;
    emit(get(I), i32(3), [0x74], simd(V_LOAD), memarg(4, layout.variableOffset.get(v) as number), set(localOf(v)));
  }
  for (const a of g.program) {
    value(a.expression);
    emit(set(localOf(a.target)));
  }
  for (const v of variableNames) {
    if (!assigned.has(v)) continue;
    emit(get(I), i32(3), [0x74], get(localOf(v)), simd(V_STORE), memarg(4, layout.variableOffset.get(v) as number));
  }
  if (g.threshold) {
    mask(g.threshold);
    if (refractory) emit(get(NR), simd(V_AND));
    emit(simd(I64X2_BITMASK), tee(BITS), [0x04, 0x40]);
    for (let lane = 0; lane < 2; lane++) {
      // if ((bits >> lane) & 1) && i + lane < size: spikes[count++] = i + lane; last[i + lane] = step
      emit(get(BITS), i32(lane), [0x76], i32(1), [0x71], get(I), i32(lane), [0x6a], i32(layout.size), [0x48], [0x71], [0x04, 0x40]);
      emit(get(COUNT), i32(2), [0x74], get(I), i32(lane), [0x6a], [0x36], memarg(2, layout.spikesOffset));
      emit(get(I), i32(lane), [0x6a], i32(2), [0x74], get(STEP), [0x36], memarg(2, layout.lastOffset));
      emit(get(COUNT), i32(1), [0x6a], set(COUNT), [0x0b]);
    }
    emit([0x0b]);
  }
  emit(get(I), i32(2), [0x6a], set(I), [0x0c, 0], [0x0b], [0x0b]);
  emit(get(COUNT), [0x0b]);
  const constantSetup: number[] = [];
  for (const [x, k] of constants) constantSetup.push(...vConst(x), ...set(k));
  code.splice(prologueLength, 0, ...constantSetup);
  const locals = [2, 3, 0x7f, ...uleb(vectorLocals), 0x7b];
  const body = [...locals, ...code];
  return new Uint8Array([
    0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
    ...section(1, [1, 0x60, 1, 0x7f, 1, 0x7f]),
    ...section(2, [1, ...name('env'), ...name('memory'), 0x02, 0x00, 0]),
    ...section(3, [1, 0]),
    ...section(7, [1, ...name('update'), 0x00, 0]),
    ...section(10, [1, ...uleb(body.length), ...body]),
  ]);
}

/**
 * Kernels for the wasm backend: wasm SIMD updates for eligible groups, generated JavaScript
 * for everything else. Moves eligible groups' arrays into a fresh wasm memory first.
 */
export function compileWasmKernels(instance: NetworkInstance, random: Random): Kernels {
  const groups = wasmSimdAvailable() ? instance.groups.filter(wasmEligible) : [];
  const layouts = new Map<GroupInstance, Layout>();
  let bytes = 0;
  const take = (n: number): number => {
    const at = bytes;
    bytes += Math.ceil(n / 16) * 16;
    return at;
  };
  for (const g of groups) {
    const padded = g.size + (g.size % 2);
    const variableOffset = new Map<string, number>();
    for (const v of g.variables.keys()) variableOffset.set(v, take(8 * padded));
    layouts.set(g, { size: g.size, padded, variableOffset, lastOffset: take(4 * padded), spikesOffset: take(4 * padded) });
  }
  const memory = groups.length ? new WebAssembly.Memory({ initial: Math.max(1, Math.ceil(bytes / 65536)) }) : undefined;
  for (const [g, layout] of layouts) {
    const buffer = (memory as WebAssembly.Memory).buffer;
    for (const [v, offset] of layout.variableOffset) {
      const view = new Float64Array(buffer, offset, g.size);
      view.set(g.variables.get(v) as Float64Array);
      g.variables.set(v, view);
    }
    const last = new Int32Array(buffer, layout.lastOffset, g.size);
    last.set(g.lastSpikeStep);
    g.lastSpikeStep = last;
    new Int32Array(buffer, layout.lastOffset, layout.padded).fill(-1 << 30, g.size);
    g.spikes = new Int32Array(buffer, layout.spikesOffset, g.size);
  }
  const kernels = compileKernels(instance, random);
  for (const [g, layout] of layouts) {
    const module = new WebAssembly.Module(groupModuleBytes(g, layout, instance.dtSeconds) as BufferSource);
    const exports = new WebAssembly.Instance(module, { env: { memory: memory as WebAssembly.Memory } }).exports;
    kernels.update[g.index] = exports.update as (step: number) => number;
  }
  return kernels;
}

/**
 * The emitted bytes of the WebAssembly SIMD FFT module (wasm-fft.ts wraps it in kernels and plans):
 * the radix-4 / radix-2 stages (DIF and DIT), the real gain, the power sums, the bit-reversal
 * scatter, conjugate-and-scale and the float32 packing helpers, each one exported function on the
 * module's single memory. Emitted through `@cajal/core`'s WebAssembly builder.
 */
import { type Instruction, type WasmFunctionBuilder, type WasmLocal, WasmModuleBuilder, br, brIf, f32x4, f64x2, i32, i8x16, localGet as get, localSet as set, localTee as tee, v128 } from '@cajal/core';

const load = (offset = 0): Instruction => v128.load(offset, 4);
const store = (offset = 0): Instruction => v128.store(offset, 4);
/** (x, x) from the float64 at the address plus offset. */
const load64Splat = (offset = 0): Instruction => v128.load64Splat(offset, 3);
/** (a, b) -> (b, a): i8x16.shuffle of the two 8-byte halves. */
const swapLanes = i8x16.shuffle([8, 9, 10, 11, 12, 13, 14, 15, 0, 1, 2, 3, 4, 5, 6, 7]);
const { xor } = v128;
const { add: fAdd, sub: fSub, mul: fMul } = f64x2;
/** (+0, -0): xor flips the sign of the imaginary lane. */
const signMask = v128.const(Float64Array.of(0, -0));

/**
 * `for (ptr = from; ptr < to; ptr += step) inner`: `ptr`, `to` locals, `step` an i32 constant or
 * a local (as code).
 */
function forLoop(f: WasmFunctionBuilder, ptr: WasmLocal, to: WasmLocal, step: Instruction[], inner: () => void): void {
  f.block((done) => f.loop((next) => {
    f.emit(get(ptr), get(to), i32.geU, brIf(done));
    inner();
    f.emit(get(ptr), ...step, i32.add, set(ptr), br(next));
  }));
}

/** x * w for complex x in local `v` and the twiddle at t + offset: (wr, wr) then (-wi, wi). */
function complexMultiply(f: WasmFunctionBuilder, v: WasmLocal, t: WasmLocal, offset: number): void {
  f.emit(get(v), get(t), load(offset), fMul, get(v), get(v), swapLanes, get(t), load(offset + 16), fMul, fAdd);
}

/** -i * (value of local v) = (im, -re), left on the stack. */
function timesMinusI(f: WasmFunctionBuilder, v: WasmLocal, mask: WasmLocal): void {
  f.emit(get(v), get(v), swapLanes, get(mask), xor);
}

const I32 = 'i32';

/**
 * Radix-4 stage with twiddles, params (p, end, q16, tw): groups of 4q complex numbers from byte p
 * to end, q16 = 16 q bytes; twiddles w^j, w^2j, w^3j (w = e^{-2πi/4q}) at tw + 96 j.
 */
function radix4Stage(m: WasmModuleBuilder, dif: boolean): WasmFunctionBuilder {
  const f = m.function({ params: [I32, I32, I32, I32] });
  const [P, E, Q, TW] = f.params;
  const [G, A, STOP, T, P1, P2, P3] = f.locals('i32', 7);
  const [MASK, X0, X1, X2, X3, B0, B1, B2, B3, Y] = f.locals('v128', 10);
  f.emit(signMask, set(MASK), get(P), set(G));
  forLoop(f, G, E, [get(Q), i32.const(2), i32.shl], () => {
    f.emit(get(G), set(A), get(G), get(Q), i32.add, set(STOP), get(TW), set(T));
    forLoop(f, A, STOP, [i32.const(16)], () => {
      f.emit(get(A), get(Q), i32.add, tee(P1), get(Q), i32.add, tee(P2), get(Q), i32.add, set(P3));
      f.emit(get(A), load(), set(X0));
      if (dif) {
        f.emit(get(P1), load(), set(X1), get(P2), load(), set(X2), get(P3), load(), set(X3));
        f.emit(get(X0), get(X2), fAdd, set(B0), get(X0), get(X2), fSub, set(B1));
        f.emit(get(X1), get(X3), fAdd, set(B2), get(X1), get(X3), fSub, set(Y));
        timesMinusI(f, Y, MASK);
        f.emit(set(B3));
        f.emit(get(A), get(B0), get(B2), fAdd, store());
        f.emit(get(B0), get(B2), fSub, set(Y), get(P1));
        complexMultiply(f, Y, T, 32);
        f.emit(store(), get(B1), get(B3), fAdd, set(Y), get(P2));
        complexMultiply(f, Y, T, 0);
        f.emit(store(), get(B1), get(B3), fSub, set(Y), get(P3));
        complexMultiply(f, Y, T, 64);
        f.emit(store());
      } else {
        f.emit(get(P1), load(), set(Y));
        complexMultiply(f, Y, T, 32);
        f.emit(set(X1), get(P2), load(), set(Y));
        complexMultiply(f, Y, T, 0);
        f.emit(set(X2), get(P3), load(), set(Y));
        complexMultiply(f, Y, T, 64);
        f.emit(set(X3));
        f.emit(get(X0), get(X1), fAdd, set(B0), get(X0), get(X1), fSub, set(B1));
        f.emit(get(X2), get(X3), fAdd, set(B2), get(X2), get(X3), fSub, set(Y));
        timesMinusI(f, Y, MASK);
        f.emit(set(B3));
        f.emit(get(A), get(B0), get(B2), fAdd, store(), get(P2), get(B0), get(B2), fSub, store());
        f.emit(get(P1), get(B1), get(B3), fAdd, store(), get(P3), get(B1), get(B3), fSub, store());
      }
      f.emit(get(T), i32.const(96), i32.add, set(T));
    });
  });
  return f;
}

/** Radix-4 stage of span 4 (all twiddles 1), params (p, end). */
function radix4Span4(m: WasmModuleBuilder, dif: boolean): WasmFunctionBuilder {
  const f = m.function({ params: [I32, I32] });
  const [P, E] = f.params;
  const [MASK, X0, X1, X2, X3, B0, B1, B2, B3, Y] = f.locals('v128', 10);
  f.emit(signMask, set(MASK));
  forLoop(f, P, E, [i32.const(64)], () => {
    f.emit(get(P), load(0), set(X0), get(P), load(16), set(X1), get(P), load(32), set(X2), get(P), load(48), set(X3));
    // DIF pairs (0, 2) and (1, 3) first, outputs 0, 2, 1, 3; DIT pairs (0, 1) and (2, 3), outputs 0, 1, 2, 3.
    const [u, v, s, r] = dif ? [X1, X2, X3, 16] as const : [X2, X1, X3, 32] as const;
    f.emit(get(X0), get(v), fAdd, set(B0), get(X0), get(v), fSub, set(B1));
    f.emit(get(u), get(s), fAdd, set(B2), get(u), get(s), fSub, set(Y));
    timesMinusI(f, Y, MASK);
    f.emit(set(B3));
    f.emit(get(P), get(B0), get(B2), fAdd, store(0), get(P), get(B0), get(B2), fSub, store(r));
    f.emit(get(P), get(B1), get(B3), fAdd, store(48 - r), get(P), get(B1), get(B3), fSub, store(48));
  });
  return f;
}

/** Radix-2 stage of span 2, params (p, end). */
function radix2Span2(m: WasmModuleBuilder): WasmFunctionBuilder {
  const f = m.function({ params: [I32, I32] });
  const [P, E] = f.params;
  const [X0, X1] = f.locals('v128', 2);
  forLoop(f, P, E, [i32.const(32)], () => {
    f.emit(get(P), load(0), set(X0), get(P), load(16), set(X1));
    f.emit(get(P), get(X0), get(X1), fAdd, store(0), get(P), get(X0), get(X1), fSub, store(16));
  });
  return f;
}

/** data[k] *= gain[k] (real float64), params (p, end, g). */
function realGain(m: WasmModuleBuilder): WasmFunctionBuilder {
  const f = m.function({ params: [I32, I32, I32] });
  const [P, E, G] = f.params;
  forLoop(f, P, E, [i32.const(16)], () => {
    f.emit(get(P), get(P), load(), get(G), load64Splat(), fMul, store());
    f.emit(get(G), i32.const(8), i32.add, set(G));
  });
  return f;
}

/** acc[k] += (re^2, im^2) of data[k], params (p, end, acc). */
function powerSum(m: WasmModuleBuilder): WasmFunctionBuilder {
  const f = m.function({ params: [I32, I32, I32] });
  const [P, E, ACC] = f.params;
  const V = f.local('v128');
  forLoop(f, P, E, [i32.const(16)], () => {
    f.emit(get(P), load(), set(V), get(ACC), get(ACC), load(), get(V), get(V), fMul, fAdd, store());
    f.emit(get(ACC), i32.const(16), i32.add, set(ACC));
  });
  return f;
}

/**
 * Bit-reversal copy, params (src, end, rev): the v128 at each src position goes to the byte
 * address read from `rev` (u32 per element); `conjugate` negates the imaginary lane on the way.
 */
function scatter(m: WasmModuleBuilder, conjugate: boolean): WasmFunctionBuilder {
  const f = m.function({ params: [I32, I32, I32] });
  const [P, E, R] = f.params;
  const MASK = conjugate ? f.local('v128') : undefined;
  if (MASK) f.emit(signMask, set(MASK));
  forLoop(f, P, E, [i32.const(16)], () => {
    f.emit(get(R), i32.load(0, 2), get(P), load());
    if (MASK) f.emit(get(MASK), xor);
    f.emit(store(), get(R), i32.const(4), i32.add, set(R));
  });
  return f;
}

/** data[k] = conj(data[k]) * s, params (p, end, s: f64). */
function conjugateScale(m: WasmModuleBuilder): WasmFunctionBuilder {
  const f = m.function({ params: [I32, I32, 'f64'] });
  const [P, E, S] = f.params;
  const [MASK, SCALE] = f.locals('v128', 2);
  f.emit(signMask, set(MASK), get(S), f64x2.splat, set(SCALE));
  forLoop(f, P, E, [i32.const(16)], () => {
    f.emit(get(P), get(P), load(), get(SCALE), fMul, get(MASK), xor, store());
  });
  return f;
}

const promoteLow = f64x2.promoteLowF32x4;
const demoteZero = f32x4.demoteF64x2Zero;
const store64Lane = (lane: number): Instruction => v128.store64Lane(lane, 0, 3);

/**
 * Two float32 channels into interleaved float64 complex data, params (a, b, dst, end): four samples
 * of each per step (dst advances 64 bytes), so up to three complex values past the count are written.
 */
function packPair32(m: WasmModuleBuilder): WasmFunctionBuilder {
  const f = m.function({ params: [I32, I32, I32, I32] });
  const [A, B, D, E] = f.params;
  const [VA, VB] = f.locals('v128', 2);
  forLoop(f, D, E, [i32.const(64)], () => {
    f.emit(get(A), load(), set(VA), get(B), load(), set(VB));
    for (let k = 0; k < 4; k++) {
      const lanes = [4 * k, 4 * k + 1, 4 * k + 2, 4 * k + 3, 16 + 4 * k, 17 + 4 * k, 18 + 4 * k, 19 + 4 * k, 0, 1, 2, 3, 4, 5, 6, 7];
      f.emit(get(D), get(VA), get(VB), i8x16.shuffle(lanes), promoteLow, store(16 * k));
    }
    f.emit(get(A), i32.const(16), i32.add, set(A), get(B), i32.const(16), i32.add, set(B));
  });
  return f;
}

/**
 * The reverse: complex values at src, src - 16, ... to two float32 channels (real parts to a, imaginary
 * parts to b), two per step, params (src, a, b, end of a).
 */
function unpackPair32(m: WasmModuleBuilder): WasmFunctionBuilder {
  const f = m.function({ params: [I32, I32, I32, I32] });
  const [S, A, B, E] = f.params;
  const PAIR = f.local('v128');
  forLoop(f, A, E, [i32.const(8)], () => {
    f.emit(get(A), get(S), load(), demoteZero, get(S), i32.const(16), i32.sub, load(), demoteZero);
    f.emit(i8x16.shuffle([0, 1, 2, 3, 16, 17, 18, 19, 4, 5, 6, 7, 20, 21, 22, 23]), set(PAIR));
    f.emit(get(PAIR), store64Lane(0), get(B), get(PAIR), store64Lane(1));
    f.emit(get(S), i32.const(32), i32.sub, set(S), get(B), i32.const(8), i32.add, set(B));
  });
  return f;
}

/**
 * Two windowed, demeaned float32 segments into interleaved complex data, params (s0, s1, win, dst,
 * end, m0, m1): data = ((x0 - m0) w, (x1 - m1) w), four samples per step (dst advances 64 bytes).
 */
function packSegments32(m: WasmModuleBuilder): WasmFunctionBuilder {
  const f = m.function({ params: [I32, I32, I32, I32, I32, 'f64', 'f64'] });
  const [S0, S1, W, D, E, M0, M1] = f.params;
  const [MEAN, V0, V1] = f.locals('v128', 3);
  f.emit(get(M0), f64x2.splat, get(M1), f64x2.replaceLane(1), set(MEAN));
  forLoop(f, D, E, [i32.const(64)], () => {
    f.emit(get(S0), load(), set(V0), get(S1), load(), set(V1));
    for (let k = 0; k < 4; k++) {
      const lanes = [4 * k, 4 * k + 1, 4 * k + 2, 4 * k + 3, 16 + 4 * k, 17 + 4 * k, 18 + 4 * k, 19 + 4 * k, 0, 1, 2, 3, 4, 5, 6, 7];
      f.emit(get(D), get(V0), get(V1), i8x16.shuffle(lanes), promoteLow, get(MEAN), fSub, get(W), load64Splat(8 * k), fMul, store(16 * k));
    }
    f.emit(get(S0), i32.const(16), i32.add, set(S0), get(S1), i32.const(16), i32.add, set(S1), get(W), i32.const(32), i32.add, set(W));
  });
  return f;
}

/** The module bytes (one memory, exported, and the stage kernels above). */
export function fftModuleBytes(): Uint8Array<ArrayBuffer> {
  const m = new WasmModuleBuilder();
  const kernels: Array<[string, WasmFunctionBuilder]> = [
    ['dif4', radix4Stage(m, true)], ['dit4', radix4Stage(m, false)], ['dif4s', radix4Span4(m, true)], ['dit4s', radix4Span4(m, false)], ['r2', radix2Span2(m)],
    ['gain', realGain(m)], ['power', powerSum(m)], ['scatter', scatter(m, false)], ['scatterConj', scatter(m, true)], ['conjScale', conjugateScale(m)],
    ['pack32', packPair32(m)], ['unpack32', unpackPair32(m)], ['packSegments32', packSegments32(m)],
  ];
  m.memory({ initial: 1 }).exportMemory('memory');
  for (const [name, f] of kernels) m.exportFunction(name, f);
  return m.bytes();
}

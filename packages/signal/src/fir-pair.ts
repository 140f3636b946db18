/**
 * The two-channel FIR path: two channels of one length through the same symmetric filter in one
 * complex FFT per block (`applyFirZeroPhasePair`), with its workspace cache (a WebAssembly SIMD
 * FFT kernel per prepared filter, or fft.js without SIMD) and the small monomorphic kernels it
 * runs. `filter.ts` uses it for many-channel cascades.
 */
import { libraryFftPlan } from './fft.ts';
import type { PreparedFir, Samples } from './filter.ts';
import { bitReversal, createWasmFft, wasmFftAvailable, type InterleavedComplexFft, type WasmFft } from './wasm-fft.ts';

/**
 * The FFT path of `applyFirZeroPhasePair` (filter.ts): a and b (or b null) of equal, non-zero
 * length, a filter with a centred spectrum, outputs allocated.
 */
export function filterPairByFft(a: Samples, b: Samples | null, prepared: PreparedFir, outA: Samples, outB: Samples): void {
  const n = a.length;
  const taps = prepared.coefficients.length;
  const edge = Math.max(Math.min(taps, n) - 1, 0);
  const totalLength = n + 2 * edge;
  const delay = (taps - 1) / 2;
  const firstOut = edge + delay;
  const nfft = prepared.fftSize;
  const block = nfft - taps + 1;
  const workspace = pairWorkspace(prepared);
  const { input, scratchA, scratchB } = workspace;
  // Overlap-add in float64: `carry` holds the next block's first taps - 1 sums, so each output
  // sample is written once (in the output's own precision).
  const carryLength = taps - 1;
  const carryA = new Float64Array(carryLength);
  const carryB = new Float64Array(carryLength);
  for (let start = 0; start < totalLength; start += block) {
    if (start + block + taps - 1 <= firstOut) continue;
    if (start >= firstOut + n) break;
    const count = Math.min(block, totalLength - start);
    // Block samples: padded ends through `fillPadded`, the signal part packed straight from the
    // channels by a loop specialised to their array type (`packSignal`).
    const signalFrom = Math.min(Math.max(start, edge), start + count) - start;
    const signalTo = Math.max(Math.min(start + count, edge + n) - start, signalFrom);
    fillPadded(input, a, edge, start, 0, signalFrom, 0);
    fillPadded(input, b, edge, start, 0, signalFrom, 1);
    const shiftIn = start - edge;
    const kernel = workspace.kernel;
    if (signalTo > signalFrom) {
      if (kernel && a instanceof Float32Array && b instanceof Float32Array && signalTo + 3 <= nfft) {
        // Native copies into the kernel's float32 staging, then one SIMD pass converts and interleaves.
        kernel.pairIn[0].set(a.subarray(signalFrom + shiftIn, signalTo + shiftIn));
        kernel.pairIn[1].set(b.subarray(signalFrom + shiftIn, signalTo + shiftIn));
        kernel.packPair32(signalFrom, signalTo - signalFrom);
      } else {
        packSignal(input, a, b, signalFrom, signalTo, shiftIn, scratchA, scratchB);
      }
    }
    fillPadded(input, a, edge, start, signalTo, count, 0);
    fillPadded(input, b, edge, start, signalTo, count, 1);
    const span = count + taps - 1;
    filterPairBlock(workspace, count);
    // Output index idx (sample idx + shift) sits at input[2p], p = (delay - idx) mod nfft (the
    // second forward transform reverses time). Only the overlap regions go through float64
    // scratch: [0, carry) receives the previous block's tail, [final, span) becomes the next
    // block's carry; everything else is written straight to the outputs in their own precision.
    const final = count === block ? block : span;
    const shift = start - firstOut;
    const overlap = Math.min(carryLength, span);
    gatherPair(input, scratchA, scratchB, 0, overlap, delay, nfft);
    if (final < span) gatherPair(input, scratchA, scratchB, Math.max(final, overlap), span, delay, nfft);
    addCarry(scratchA, scratchB, carryA, carryB);
    if (final < span) {
      carryA.set(scratchA.subarray(final, span));
      carryB.set(scratchB.subarray(final, span));
    }
    const outLo = Math.max(0, -shift);
    const outHi = Math.min(final, n - shift);
    const viaScratch = Math.min(Math.max(Math.min(overlap, final), outLo), outHi);
    if (viaScratch > outLo) {
      outA.set(scratchA.subarray(outLo, viaScratch), outLo + shift);
      if (b) outB.set(scratchB.subarray(outLo, viaScratch), outLo + shift);
    }
    if (outHi > viaScratch) {
      if (kernel && b && outA instanceof Float32Array && outB instanceof Float32Array) {
        writePair32(kernel, outA, outB, viaScratch, outHi, shift, delay, nfft);
      } else {
        writeChannel(outA, input, 0, viaScratch, outHi, shift, delay, nfft);
        if (b) writeChannel(outB, input, 1, viaScratch, outHi, shift, delay, nfft);
      }
    }
    if (start + block >= firstOut + n) break;
  }
}

/**
 * input[2k + part] for k in [from, to) = the MNE-padded signal (reflect_limited, `edge` samples
 * each side) at index start + k; zeros when x is null.
 */
function fillPadded(input: Float64Array, x: Samples | null, edge: number, start: number, from: number, to: number, part: 0 | 1): void {
  if (to <= from) return;
  if (!x) {
    for (let k = from; k < to; k++) input[2 * k + part] = 0;
    return;
  }
  const n = x.length;
  const first = x[0] as number;
  const last = x[n - 1] as number;
  const leftZeros = Math.max(edge - n + 1, 0);
  const rightStart = edge + n;
  const rightEnd = n + 2 * edge - Math.max(edge - n + 1, 0);
  for (let k = from; k < to; k++) {
    const e = start + k;
    let value: number;
    if (e < edge) value = e < leftZeros ? 0 : 2 * first - (x[edge - e] as number);
    else if (e < rightStart) value = x[e - edge] as number;
    else value = e < rightEnd ? 2 * last - (x[n - 2 - (e - rightStart)] as number) : 0;
    input[2 * k + part] = value;
  }
}

/**
 * One overlap-add block of two channels (real and imaginary parts of `input`, `count` samples):
 * zero the tail, transform, apply the real gain (1/nfft included), transform again - a forward
 * transform of the filtered spectrum holds nfft * y[-p mod nfft] at p, left in `input`.
 */
function filterPairBlock(workspace: PairWorkspace, count: number): void {
  const input = workspace.input;
  input.fill(0, 2 * count);
  if (workspace.kernel) {
    // WebAssembly: DIF (bit-reversed spectrum), the gain in bit-reversed order, DIT - in place.
    workspace.kernel.filter();
    return;
  }
  const library = workspace.library as InterleavedComplexFft;
  const spectrum = workspace.spectrum;
  library.transform(spectrum, input);
  applyRealGain(spectrum, workspace.gain);
  library.transform(input, spectrum);
}

/** a[idx], b[idx] = the two channels' centred convolution at idx in [from, to) (see the caller). */
function gatherPair(input: Float64Array, a: Float64Array, b: Float64Array, from: number, to: number, delay: number, nfft: number): void {
  const mid = Math.min(Math.max(delay + 1, from), to);
  if (mid > from) gatherReversed(input, a, b, from, mid, 2 * (delay - from));
  if (to > mid) gatherReversed(input, a, b, mid, to, 2 * (nfft + delay - mid));
}

/** out[idx + shift] = input[2 ((delay - idx) mod nfft) + part] for idx in [from, to), per output type. */
function writeChannel(out: Samples, input: Float64Array, part: 0 | 1, from: number, to: number, shift: number, delay: number, nfft: number): void {
  const mid = Math.min(Math.max(delay + 1, from), to);
  if (out instanceof Float32Array) {
    if (mid > from) copyReversed32(out, from + shift, mid + shift, input, 2 * (delay - from) + part);
    if (to > mid) copyReversed32(out, mid + shift, to + shift, input, 2 * (nfft + delay - mid) + part);
  } else {
    if (mid > from) copyReversed64(out, from + shift, mid + shift, input, 2 * (delay - from) + part);
    if (to > mid) copyReversed64(out, mid + shift, to + shift, input, 2 * (nfft + delay - mid) + part);
  }
}

/** `writeChannel` for two float32 outputs at once: one SIMD pass into the kernel's staging, native copies out. */
function writePair32(kernel: WasmFft, outA: Float32Array, outB: Float32Array, from: number, to: number, shift: number, delay: number, nfft: number): void {
  const mid = Math.min(Math.max(delay + 1, from), to);
  const [stagedA, stagedB] = kernel.pairOut;
  if (mid > from) {
    kernel.unpackPair32(delay - from, mid - from);
    outA.set(stagedA.subarray(0, mid - from), from + shift);
    outB.set(stagedB.subarray(0, mid - from), from + shift);
  }
  if (to > mid) {
    kernel.unpackPair32(nfft + delay - mid, to - mid);
    outA.set(stagedA.subarray(0, to - mid), mid + shift);
    outB.set(stagedB.subarray(0, to - mid), mid + shift);
  }
}

/** out[t] = input[j], t in [from, to), j stepping down by 2 from j0. */
function copyReversed32(out: Float32Array, from: number, to: number, input: Float64Array, j0: number): void {
  for (let t = from, j = j0; t < to; t++, j -= 2) out[t] = input[j] as number;
}

function copyReversed64(out: Float64Array, from: number, to: number, input: Float64Array, j0: number): void {
  for (let t = from, j = j0; t < to; t++, j -= 2) out[t] = input[j] as number;
}

// Each hot loop is its own small function taking only Float64Arrays and numbers: V8 then never
// on-stack-replaces a loop whose function still has code without type feedback after it (that
// OSR code was re-entered and deoptimised on every block).

/** spectrum[2f], spectrum[2f + 1] *= g[f]. */
function applyRealGain(spectrum: Float64Array, g: Float64Array): void {
  const nfft = g.length;
  for (let f = 0, j = 0; f < nfft; f++, j += 2) {
    const v = g[f] as number;
    spectrum[j] = (spectrum[j] as number) * v;
    spectrum[j + 1] = (spectrum[j + 1] as number) * v;
  }
}

/** a[idx] = input[j], b[idx] = input[j + 1] for idx in [from, to), j stepping down by 2 from `j0`. */
function gatherReversed(input: Float64Array, a: Float64Array, b: Float64Array, from: number, to: number, j0: number): void {
  for (let idx = from, j = j0; idx < to; idx++, j -= 2) {
    a[idx] = input[j] as number;
    b[idx] = input[j + 1] as number;
  }
}

/** scratch[i] += carry[i] over the carry's length. */
function addCarry(scratchA: Float64Array, scratchB: Float64Array, carryA: Float64Array, carryB: Float64Array): void {
  for (let i = 0; i < carryA.length; i++) {
    scratchA[i] = (scratchA[i] as number) + (carryA[i] as number);
    scratchB[i] = (scratchB[i] as number) + (carryB[i] as number);
  }
}

interface PairWorkspace {
  /** The WebAssembly SIMD kernel (its memory holds `input` and the gain), or null: fft.js. */
  kernel: WasmFft | null;
  library: InterleavedComplexFft | null;
  /** Real gain for all nfft bins (centred spectrum mirrored), scaled by 1/nfft for the inverse. */
  gain: Float64Array;
  input: Float64Array;
  spectrum: Float64Array;
  /** Per-block real and imaginary parts (the two channels), nfft each. */
  scratchA: Float64Array;
  scratchB: Float64Array;
}

/**
 * input[2k] = a[k + shift], input[2k + 1] = b[k + shift] (0 when b is null) for k in [from, to):
 * one pass straight from the channels, through a loop specialised to their array type (each
 * function sees one element kind only); mixed types go through float64 scratch.
 */
function packSignal(input: Float64Array, a: Samples, b: Samples | null, from: number, to: number, shift: number, scratchA: Float64Array, scratchB: Float64Array): void {
  if (a instanceof Float32Array) {
    if (b instanceof Float32Array) return packPair32(input, a, b, from, to, shift);
    if (b === null) return packOne32(input, a, from, to, shift);
  } else if (b instanceof Float64Array) {
    return packPair64(input, a, b, from, to, shift);
  } else if (b === null) {
    return packOne64(input, a, from, to, shift);
  }
  scratchA.set(a.subarray(from + shift, to + shift), from);
  if (b) scratchB.set(b.subarray(from + shift, to + shift), from);
  else scratchB.fill(0, from, to);
  interleave(input, scratchA, scratchB, from, to);
}

function packPair32(input: Float64Array, a: Float32Array, b: Float32Array, from: number, to: number, shift: number): void {
  for (let k = from + shift, j = 2 * from, end = to + shift; k < end; k++, j += 2) {
    input[j] = a[k] as number;
    input[j + 1] = b[k] as number;
  }
}

function packPair64(input: Float64Array, a: Float64Array, b: Float64Array, from: number, to: number, shift: number): void {
  for (let k = from + shift, j = 2 * from, end = to + shift; k < end; k++, j += 2) {
    input[j] = a[k] as number;
    input[j + 1] = b[k] as number;
  }
}

function packOne32(input: Float64Array, a: Float32Array, from: number, to: number, shift: number): void {
  for (let k = from + shift, j = 2 * from, end = to + shift; k < end; k++, j += 2) {
    input[j] = a[k] as number;
    input[j + 1] = 0;
  }
}

function packOne64(input: Float64Array, a: Float64Array, from: number, to: number, shift: number): void {
  for (let k = from + shift, j = 2 * from, end = to + shift; k < end; k++, j += 2) {
    input[j] = a[k] as number;
    input[j + 1] = 0;
  }
}

/** input[2k] = re[k], input[2k + 1] = im[k] for k in [from, to). */
function interleave(input: Float64Array, re: Float64Array, im: Float64Array, from: number, to: number): void {
  for (let k = from, j = 2 * from; k < to; k++, j += 2) {
    input[j] = re[k] as number;
    input[j + 1] = im[k] as number;
  }
}

const pairWorkspaces = new WeakMap<PreparedFir, PairWorkspace>();

/** FFT plan, gain and buffers for `applyFirZeroPhasePair`, built once per prepared filter. */
function pairWorkspace(prepared: PreparedFir): PairWorkspace {
  const useWasm = wasmFftAvailable();
  const cached = pairWorkspaces.get(prepared);
  if (cached && (cached.kernel !== null) === useWasm) return cached;
  const nfft = prepared.fftSize;
  const centred = prepared.centredSpectrum as Float64Array;
  const gain = new Float64Array(nfft);
  for (let k = 0; k <= nfft / 2; k++) gain[k] = (centred[k] as number) / nfft;
  for (let k = nfft / 2 + 1; k < nfft; k++) gain[k] = gain[nfft - k] as number;
  const scratchA = new Float64Array(nfft);
  const scratchB = new Float64Array(nfft);
  const kernel = useWasm ? createWasmFft(nfft, { gain: true, pair32: true }) : null;
  let workspace: PairWorkspace;
  if (kernel) {
    const reversed = bitReversal(nfft);
    for (let k = 0; k < nfft; k++) kernel.gain[k] = gain[reversed[k] as number] as number;
    workspace = { kernel, library: null, gain: kernel.gain, input: kernel.data, spectrum: new Float64Array(0), scratchA, scratchB };
  } else {
    workspace = { kernel: null, library: libraryFftPlan(nfft), gain, input: new Float64Array(2 * nfft), spectrum: new Float64Array(2 * nfft), scratchA, scratchB };
  }
  pairWorkspaces.set(prepared, workspace);
  return workspace;
}

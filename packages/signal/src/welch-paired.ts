/**
 * Welch's fast paths for a power-of-two nfft: two real segments per complex FFT (z = a + i b), on
 * the WebAssembly SIMD kernel (float32 segments packed in wasm, power summed in bit-reversed
 * order) or on fft.js without it, with the demean / window / interleave loops specialised per
 * input array type. welch.ts chooses when to take them.
 */
import { libraryFftPlan } from './fft.ts';
import { planCache } from './plan-cache.ts';
import { bitReversal, createWasmFft, type InterleavedComplexFft, type WasmFft } from './wasm-fft.ts';
import { prepareSegment, type SegmentPlan } from './welch-segments.ts';
import type { Samples } from './filter.ts';

/**
 * `forEachSegmentSpectrum` on the WebAssembly kernel, two segments per complex FFT: z = a + i b,
 * A[k] = (Z[k] + conj Z[-k]) / 2, B[k] = (Z[k] - conj Z[-k]) / 2i, read from the bit-reversed DIF
 * output. Constant detrend, power-of-two nfft.
 */
export function pairedSegmentSpectra(x: Samples, plan: SegmentPlan, visit: (segment: number, re: Float64Array, im: Float64Array) => void): void {
  const nfft = plan.nfft;
  const workspace = pairedWorkspace(nfft);
  const kernel = workspace.kernel as WasmFft;
  const data = kernel.data;
  const reversed = workspace.reversed;
  const n = plan.nperseg;
  const step = plan.step;
  const w = plan.window;
  const count = plan.segmentCount;
  const bins = nfft / 2 + 1;
  const reA = new Float64Array(bins);
  const imA = new Float64Array(bins);
  const reB = new Float64Array(bins);
  const imB = new Float64Array(bins);
  const simd = simdPacker(kernel, x, plan);
  data.fill(0);
  for (let s = 0; s + 1 < count; s += 2) {
    const start = s * step;
    const m0 = rangeSum(x, start, start + n) / n;
    const m1 = rangeSum(x, start + step, start + step + n) / n;
    packPair(data, simd, x, start, step, n, w, m0, m1);
    kernel.dif();
    splitPair(data, reversed, nfft, reA, imA, reB, imB);
    if (n < nfft) data.fill(0, 2 * n);
    visit(s, reA, imA);
    visit(s + 1, reB, imB);
  }
  if (count % 2 === 1) {
    packSegment(data, x, (count - 1) * step, n, w);
    kernel.dif();
    splitPair(data, reversed, nfft, reA, imA, reB, imB);
    visit(count - 1, reA, imA);
  }
}

/** The spectra of the real and imaginary parts of z from its bit-reversed DFT (bins 0..nfft/2). */
function splitPair(data: Float64Array, reversed: Uint32Array, nfft: number, reA: Float64Array, imA: Float64Array, reB: Float64Array, imB: Float64Array): void {
  const half = nfft >> 1;
  const mask = nfft - 1;
  for (let k = 0; k <= half; k++) {
    const i = 2 * (reversed[k] as number);
    const j = 2 * (reversed[(nfft - k) & mask] as number);
    const zr = data[i] as number;
    const zi = data[i + 1] as number;
    const wr = data[j] as number;
    const wi = data[j + 1] as number;
    reA[k] = 0.5 * (zr + wr);
    imA[k] = 0.5 * (zi - wi);
    reB[k] = 0.5 * (zi + wi);
    imB[k] = -0.5 * (zr - wr);
  }
}

/**
 * Sum over segments of |X_s[k]|^2 (bins 0..nfft/2) for a power-of-two nfft, two segments per
 * complex FFT: z = a + i b gives |A[k]|^2 + |B[k]|^2 = (|Z[k]|^2 + |Z[nfft-k]|^2) / 2, so the
 * pair needs no separation. Adds into `sum`.
 */
export function segmentPowerSum(x: Samples, plan: SegmentPlan, sum: Float64Array): void {
  const nfft = plan.nfft;
  const workspace = pairedWorkspace(nfft);
  const kernel = workspace.kernel;
  const { library, out } = workspace;
  const input = kernel ? kernel.data : workspace.input;
  const n = plan.nperseg;
  const w = plan.window;
  const count = plan.segmentCount;
  const pairs = count >> 1;
  // The WebAssembly kernel transforms in place (bit-reversed out) and sums |Z|^2 per position;
  // the bins are folded into `sum` once at the end. fft.js transforms out of place.
  const padded = n < nfft;
  if (kernel) kernel.power.fill(0);
  const transformAndAdd = (): void => {
    if (kernel) {
      kernel.dif();
      kernel.addPower();
      if (padded) input.fill(0, 2 * n);
    } else {
      (library as InterleavedComplexFft).transform(out, input);
      addPairPower(out, sum, nfft);
    }
  };
  if (plan.detrend === 'constant') {
    // Demeaned and windowed straight from the channel into the interleaved input, two segments
    // per pass, through a loop specialised to the input's array type; the zero padding is
    // written once (the segments never touch it; the in-place kernel rewrites it).
    input.fill(0);
    const step = plan.step;
    // With 50 % overlap a segment's sum is the sum of two half-segment sums, each shared by two
    // segments: the means then read every sample once.
    const halves = n === 2 * step;
    const simd = simdPacker(kernel, x, plan);
    let carried = halves && pairs > 0 ? rangeSum(x, 0, step) : 0;
    for (let p = 0; p < pairs; p++) {
      const start = 2 * p * step;
      let m0: number;
      let m1: number;
      if (halves) {
        const h1 = rangeSum(x, start + step, start + 2 * step);
        const h2 = rangeSum(x, start + 2 * step, start + 3 * step);
        m0 = (carried + h1) / n;
        m1 = (h1 + h2) / n;
        carried = h2;
      } else {
        m0 = rangeSum(x, start, start + n) / n;
        m1 = rangeSum(x, start + step, start + step + n) / n;
      }
      packPair(input, simd, x, start, step, n, w, m0, m1);
      transformAndAdd();
    }
    if (count % 2 === 1) {
      packSegment(input, x, (count - 1) * step, n, w);
      transformAndAdd();
    }
  } else {
    const scratch = new Float64Array(n);
    for (let s = 0; s < count; s += 2) {
      input.fill(0);
      prepareSegment(x, plan, s, input, 0, 2, scratch);
      if (s + 1 < count) prepareSegment(x, plan, s + 1, input, 1, 2, scratch);
      transformAndAdd();
    }
  }
  if (kernel) foldPower(kernel.power, workspace.reversed, sum, nfft);
}

interface PairedWorkspace {
  /** The WebAssembly SIMD kernel (data and power sums in its memory), or null: fft.js. */
  kernel: WasmFft | null;
  /** Bit reversal of 0..nfft-1 (the kernel's output order). */
  reversed: Uint32Array;
  library: InterleavedComplexFft | null;
  input: Float64Array;
  out: Float64Array;
}

const pairedWorkspaces = planCache<PairedWorkspace>(16);

/** The cached WebAssembly kernel (or fft.js plan and interleaved buffers) for a power-of-two nfft. */
function pairedWorkspace(nfft: number): PairedWorkspace {
  return pairedWorkspaces(nfft, (wasm) => {
    const kernel = wasm ? createWasmFft(nfft, { power: true, segments32: true }) : null;
    if (kernel) return { kernel, reversed: bitReversal(nfft), library: null, input: new Float64Array(0), out: new Float64Array(0) };
    return { kernel: null, reversed: new Uint32Array(0), library: libraryFftPlan(nfft), input: new Float64Array(2 * nfft), out: new Float64Array(2 * nfft) };
  });
}

/**
 * sum[k] += (S[k] + S[nfft - k]) / 2 for k in 0..nfft/2, where S[f] = the summed |Z[f]|^2, held at
 * position rev(f) of `power` as (re^2, im^2).
 */
function foldPower(power: Float64Array, reversed: Uint32Array, sum: Float64Array, nfft: number): void {
  const half = nfft >> 1;
  for (let k = 0; k <= half; k++) {
    const a = 2 * (reversed[k] as number);
    const b = 2 * (reversed[(nfft - k) & (nfft - 1)] as number);
    sum[k] += 0.5 * ((power[a] as number) + (power[a + 1] as number) + (power[b] as number) + (power[b + 1] as number));
  }
}

/** sum[k] += (|Z[k]|^2 + |Z[nfft - k]|^2) / 2 for k in 1..nfft/2, sum[0] += |Z[0]|^2. */
function addPairPower(out: Float64Array, sum: Float64Array, nfft: number): void {
  sum[0] += out[0] * out[0] + out[1] * out[1];
  const half = nfft >> 1;
  for (let k = 1, i = 2, j = 2 * nfft - 2; k <= half; k++, i += 2, j -= 2) {
    const a = out[i];
    const b = out[i + 1];
    const c = out[j];
    const d = out[j + 1];
    sum[k] += 0.5 * (a * a + b * b + c * c + d * d);
  }
}

/**
 * The kernel, with the window loaded, where the pairs can be packed in wasm: float32 channels
 * with whole SIMD steps (a native copy of the pair's samples into the kernel, one SIMD pass to
 * convert, demean, window and interleave); else null.
 */
function simdPacker(kernel: WasmFft | null, x: Samples, plan: SegmentPlan): WasmFft | null {
  if (kernel === null || !(x instanceof Float32Array) || plan.nperseg % 4 !== 0 || plan.step + plan.nperseg > 2 * plan.nfft) return null;
  kernel.segmentWindow.set(plan.window);
  return kernel;
}

/**
 * input = ((x[start + i] - m0) w[i], (x[start + step + i] - m1) w[i]), i < n: through `simd`'s
 * SIMD pass when there is one (its data is `input` then), else the loop for x's array type.
 */
function packPair(input: Float64Array, simd: WasmFft | null, x: Samples, start: number, step: number, n: number, w: Float64Array, m0: number, m1: number): void {
  if (simd) {
    simd.segmentSamples.set((x as Float32Array).subarray(start, start + step + n));
    simd.packSegments32(step, n, m0, m1);
  } else packSegments(input, x, start, start + step, n, w, m0, m1);
}

/**
 * sum of x[from..to), four independent accumulators (the adds are not one latency chain). One
 * function for both array types: measured, the two-type loop is no slower here than a copy per
 * type was (bench:psd 0.14-0.15 / 0.10 s first / warm pass either way).
 */
function rangeSum(x: Samples, from: number, to: number): number {
  let a = 0;
  let b = 0;
  let c = 0;
  let d = 0;
  let i = from;
  for (; i + 3 < to; i += 4) {
    a += x[i] as number;
    b += x[i + 1] as number;
    c += x[i + 2] as number;
    d += x[i + 3] as number;
  }
  for (; i < to; i++) a += x[i] as number;
  return a + b + (c + d);
}

/**
 * input[2i] = (x[s0 + i] - m0) w[i], input[2i + 1] = (x[s1 + i] - m1) w[i], i < n. One function
 * for both array types, like rangeSum (the float32 inputs mostly take the SIMD pass anyway).
 */
function packSegments(input: Float64Array, x: Samples, s0: number, s1: number, n: number, w: Float64Array, m0: number, m1: number): void {
  for (let i = 0, j = 0; i < n; i++, j += 2) {
    const wi = w[i] as number;
    input[j] = ((x[s0 + i] as number) - m0) * wi;
    input[j + 1] = ((x[s1 + i] as number) - m1) * wi;
  }
}

/** The lone last segment: demeaned and windowed in the real part, zeros in the imaginary part. */
function packSegment(input: Float64Array, x: Samples, s0: number, n: number, w: Float64Array): void {
  let m0 = 0;
  for (let i = 0; i < n; i++) m0 += x[s0 + i] as number;
  m0 /= n;
  for (let i = 0, j = 0; i < n; i++, j += 2) {
    input[j] = ((x[s0 + i] as number) - m0) * (w[i] as number);
    input[j + 1] = 0;
  }
}

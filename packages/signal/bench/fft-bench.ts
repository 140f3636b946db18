/**
 * FFT micro-benchmark (prints JSON): the hand-written radix-2 split-array FFT (createRadix2Fft)
 * against fft.js (interleaved radix-4, a dependency) at the sizes the pipeline uses, and the plan
 * src/fft.ts actually uses (planComplexFft / planRealFft: the WebAssembly SIMD kernel, or fft.js
 * without it, behind split arrays, with our real-input twist; and planInterleavedRealFft, the
 * filters' path without de-interleaving), and the bare WebAssembly kernel (in-place DIF on its own
 * memory, what the paired filter and Welch run; and the fft.js-interface adapter with its copies
 * and bit-reversal scatter). CPU time per forward transform (process.cpuUsage, robust on a shared
 * VM) and wall time; the median of 5 rounds.
 *
 *   npm run bench:fft -w @cajal/signal
 */
import FFT from 'fft.js';
import { createRadix2Fft, planComplexFft } from '../src/fft.ts';
import { planInterleavedRealFft, planRealFft } from '../src/real-fft.ts';
import { createWasmFft, createWasmInterleavedFft } from '../src/wasm-fft.ts';

const sizes = [256, 512, 1024, 4096, 16384, 65536];
const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] as number;

function measure(run: () => void, size: number): { cpu_us: number; wall_us: number } {
  const repetitions = Math.max(4, Math.round(4e6 / (size * Math.log2(size))));
  for (let i = 0; i < repetitions; i++) run();
  const cpu: number[] = [];
  const wall: number[] = [];
  for (let round = 0; round < 5; round++) {
    const c0 = process.cpuUsage();
    const w0 = performance.now();
    for (let i = 0; i < repetitions; i++) run();
    const c1 = process.cpuUsage(c0);
    wall.push(((performance.now() - w0) * 1000) / repetitions);
    cpu.push((c1.user + c1.system) / repetitions);
  }
  return { cpu_us: Math.round(median(cpu) * 100) / 100, wall_us: Math.round(median(wall) * 100) / 100 };
}

const results = sizes.map((size) => {
  const signal = Float64Array.from({ length: size }, (_, i) => Math.sin(i * 0.37) + 0.1 * ((i * 7919) % 13));
  const re = new Float64Array(size);
  const im = new Float64Array(size);
  const hand = createRadix2Fft(size);
  const handComplex = measure(() => {
    re.set(signal);
    im.fill(0);
    hand.transform(re, im);
  }, size);
  const complex = planComplexFft(size);
  const usedComplex = measure(() => {
    re.set(signal);
    im.fill(0);
    complex.transform(re, im);
  }, size);
  const real = planRealFft(size);
  const outRe = new Float64Array(size / 2 + 1);
  const outIm = new Float64Array(size / 2 + 1);
  const usedReal = measure(() => real.forward(signal, outRe, outIm), size);
  const interleaved = size >= 8 ? planInterleavedRealFft(size) : null;
  const spectrum = interleaved?.createSpectrum() ?? new Float64Array(0);
  const interleavedReal = interleaved ? measure(() => interleaved.forward(signal, spectrum), size) : null;
  const library = new FFT(size);
  // Float64Array in and out, as src/fft.ts passes them (mixing Array and typed arrays makes fft.js polymorphic).
  const input = new Float64Array(2 * size);
  signal.forEach((v, i) => (input[2 * i] = v));
  const output = new Float64Array(2 * size);
  const libraryComplex = measure(() => library.transform(output, input), size);
  const realInput = signal;
  const libraryReal = measure(() => library.realTransform(output, realInput), size);
  const kernel = createWasmFft(size);
  const adapter = createWasmInterleavedFft(size);
  const wasmInPlace = kernel
    ? measure(() => {
        kernel.data.set(input);
        kernel.dif();
      }, size)
    : null;
  const wasmAdapter = adapter ? measure(() => adapter.transform(output, input), size) : null;
  return {
    size,
    hand_radix2_complex: handComplex,
    fftjs_complex: libraryComplex,
    wasm_complex_in_place: wasmInPlace,
    wasm_complex_fftjs_interface: wasmAdapter,
    fftjs_cpu_over_wasm_in_place: wasmInPlace ? Math.round((libraryComplex.cpu_us / wasmInPlace.cpu_us) * 100) / 100 : null,
    used_complex: usedComplex,
    fftjs_real: libraryReal,
    used_real: usedReal,
    interleaved_real: interleavedReal,
    hand_radix2_cpu_over_fftjs: Math.round((handComplex.cpu_us / libraryComplex.cpu_us) * 100) / 100,
    used_real_cpu_over_fftjs_real: Math.round((usedReal.cpu_us / libraryReal.cpu_us) * 100) / 100,
  };
});

console.log(JSON.stringify({ benchmark: 'fft-micro', date: new Date().toISOString(), node: process.version, unit: 'microseconds per forward transform (median of 5 rounds)', results }));

import type { Random } from '@cajal/core';
import { CajalError } from '@cajal/core';

/**
 * Weight initialisers. All draw from a seeded `Random` (createRandom from @cajal/core), so a
 * model built with the same seed has the same weights on every platform.
 *
 * @example
 *   const w = glorotUniform(784, 256, createRandom(1)); // 784·256 values
 */
export type Initializer = 'glorot-uniform' | 'he-normal' | 'he-uniform' | 'orthogonal' | 'zeros' | 'lecun-uniform';

/** Uniform in ±√(6 / (fanIn + fanOut)) (Glorot & Bengio 2010). */
export function glorotUniform(fanIn: number, fanOut: number, random: Random, size = fanIn * fanOut): Float32Array {
  const bound = Math.sqrt(6 / (fanIn + fanOut));
  return uniformValues(size, bound, random);
}

/** Normal with standard deviation √(2 / fanIn) (He et al. 2015), for ReLU layers. */
export function heNormal(fanIn: number, size: number, random: Random): Float32Array {
  const std = Math.sqrt(2 / fanIn);
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = random.normal(0, std);
  return out;
}

/** Uniform in ±√(6 / fanIn) (He, uniform form). */
export function heUniform(fanIn: number, size: number, random: Random): Float32Array {
  return uniformValues(size, Math.sqrt(6 / fanIn), random);
}

/** Uniform in ±bound. */
export function uniformValues(size: number, bound: number, random: Random): Float32Array {
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) out[i] = random.uniformRange(-bound, bound);
  return out;
}

/**
 * A rows x cols matrix with orthonormal rows or columns (whichever are fewer), times `gain`
 * (Saxe et al. 2014): Gram-Schmidt on a Gaussian matrix, computed in float64.
 */
export function orthogonal(rows: number, cols: number, random: Random, gain = 1): Float32Array {
  if (rows < 1 || cols < 1) throw new CajalError('INVALID_ARGUMENT', `orthogonal needs a positive shape, got ${rows} x ${cols}`, { field: 'shape' });
  const tall = rows >= cols;
  const n = tall ? rows : cols; // vector length
  const count = tall ? cols : rows; // number of orthonormal vectors
  const vectors: Float64Array[] = [];
  for (let v = 0; v < count; v++) {
    let vector: Float64Array;
    for (;;) {
      vector = new Float64Array(n);
      for (let i = 0; i < n; i++) vector[i] = random.normal();
      for (const u of vectors) {
        let dot = 0;
        for (let i = 0; i < n; i++) dot += (vector[i] as number) * (u[i] as number);
        for (let i = 0; i < n; i++) vector[i] = (vector[i] as number) - dot * (u[i] as number);
      }
      let norm = 0;
      for (let i = 0; i < n; i++) norm += (vector[i] as number) ** 2;
      norm = Math.sqrt(norm);
      if (norm > 1e-8) {
        for (let i = 0; i < n; i++) vector[i] = (vector[i] as number) / norm;
        break;
      }
    }
    vectors.push(vector);
  }
  const out = new Float32Array(rows * cols);
  for (let r = 0; r < rows; r++) {
    for (let c = 0; c < cols; c++) {
      out[r * cols + c] = gain * (tall ? ((vectors[c] as Float64Array)[r] as number) : ((vectors[r] as Float64Array)[c] as number));
    }
  }
  return out;
}

/** Values for a weight of `size` elements by name. */
export function initialize(kind: Initializer, fanIn: number, fanOut: number, size: number, random: Random): Float32Array {
  switch (kind) {
    case 'glorot-uniform':
      return glorotUniform(fanIn, fanOut, random, size);
    case 'he-normal':
      return heNormal(fanIn, size, random);
    case 'he-uniform':
      return heUniform(fanIn, size, random);
    case 'lecun-uniform':
      return uniformValues(size, Math.sqrt(3 / fanIn), random);
    case 'orthogonal':
      return orthogonal(size / fanOut, fanOut, random);
    case 'zeros':
      return new Float32Array(size);
  }
}

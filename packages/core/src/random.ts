/**
 * A seeded random generator (xoshiro128**, seeded through splitmix32), so every simulation,
 * training run and test is reproducible from one integer. Not for cryptography.
 *
 * @example
 *   const rng = createRandom(42);
 *   rng.uniform();        // [0, 1)
 *   rng.normal(0, 1);     // standard normal
 *   rng.integer(6);       // 0..5
 */
export interface Random {
  /** Uniform in [0, 1). */
  uniform(): number;
  /** Uniform in [low, high). */
  uniformRange(low: number, high: number): number;
  /** Uniform integer in [0, n). */
  integer(n: number): number;
  /** Normal with the given mean and standard deviation. */
  normal(mean?: number, std?: number): number;
  /** Exponential with the given rate (mean 1 / rate). */
  exponential(rate?: number): number;
  /** Poisson-distributed count with mean `lambda`. */
  poisson(lambda: number): number;
  /** Gamma(shape, scale). */
  gamma(shape: number, scale?: number): number;
  /** True with probability p. */
  bernoulli(p: number): boolean;
  /** Fisher-Yates shuffle in place; returns the array. */
  shuffle<T>(array: T[]): T[];
  /** An independent generator derived from this one (for workers, per-trial streams). */
  fork(): Random;
  /** The raw 32-bit output. */
  nextUint32(): number;
  /** The seed this generator was created with. */
  readonly seed: number;
}

function splitmix32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x9e3779b9) >>> 0;
    let z = state;
    z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
    z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
    return (z ^ (z >>> 16)) >>> 0;
  };
}

/** Create a seeded generator. Equal seeds give equal streams on every platform. */
export function createRandom(seed: number): Random {
  const init = splitmix32(Math.floor(seed) >>> 0);
  let s0 = init();
  let s1 = init();
  let s2 = init();
  let s3 = init();
  if ((s0 | s1 | s2 | s3) === 0) s0 = 1;
  let spareNormal: number | undefined;

  const next = (): number => {
    const result = Math.imul(rotl(Math.imul(s1, 5), 7), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0;
    s3 ^= s1;
    s1 ^= s2;
    s0 ^= s3;
    s2 ^= t;
    s3 = rotl(s3, 11);
    return result;
  };

  const uniform = (): number => {
    // 53 bits from two draws, so values are dense in [0, 1).
    const high = next() >>> 5;
    const low = next() >>> 6;
    return (high * 67108864 + low) / 9007199254740992;
  };

  const normal = (mean = 0, std = 1): number => {
    if (spareNormal !== undefined) {
      const value = spareNormal;
      spareNormal = undefined;
      return mean + std * value;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = uniform() * 2 - 1;
      v = uniform() * 2 - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const factor = Math.sqrt((-2 * Math.log(s)) / s);
    spareNormal = v * factor;
    return mean + std * u * factor;
  };

  const gamma = (shape: number, scale = 1): number => {
    if (shape < 1) {
      const u = uniform();
      return gamma(1 + shape, scale) * Math.pow(u, 1 / shape);
    }
    // Marsaglia and Tsang 2000.
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      let x: number;
      let v: number;
      do {
        x = normal();
        v = 1 + c * x;
      } while (v <= 0);
      v = v * v * v;
      const u = uniform();
      if (u < 1 - 0.0331 * x * x * x * x) return d * v * scale;
      if (Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v * scale;
    }
  };

  const poisson = (lambda: number): number => {
    if (lambda <= 0) return 0;
    if (lambda < 30) {
      const limit = Math.exp(-lambda);
      let k = 0;
      let p = uniform();
      while (p > limit) {
        k++;
        p *= uniform();
      }
      return k;
    }
    // Transformed rejection (Hormann 1993, PTRS).
    const slam = Math.sqrt(lambda);
    const loglam = Math.log(lambda);
    const b = 0.931 + 2.53 * slam;
    const a = -0.059 + 0.02483 * b;
    const invalpha = 1.1239 + 1.1328 / (b - 3.4);
    const vr = 0.9277 - 3.6224 / (b - 2);
    for (;;) {
      const u = uniform() - 0.5;
      const v = uniform();
      const us = 0.5 - Math.abs(u);
      const k = Math.floor(((2 * a) / us + b) * u + lambda + 0.43);
      if (us >= 0.07 && v <= vr) return k;
      if (k < 0 || (us < 0.013 && v > us)) continue;
      if (Math.log(v) + Math.log(invalpha) - Math.log(a / (us * us) + b) <= -lambda + k * loglam - logFactorial(k)) {
        return k;
      }
    }
  };

  const generator: Random = {
    seed,
    nextUint32: next,
    uniform,
    uniformRange: (low, high) => low + (high - low) * uniform(),
    integer: (n) => Math.floor(uniform() * n),
    normal,
    exponential: (rate = 1) => -Math.log(1 - uniform()) / rate,
    poisson,
    gamma,
    bernoulli: (p) => uniform() < p,
    shuffle: <T>(array: T[]): T[] => {
      for (let i = array.length - 1; i > 0; i--) {
        const j = Math.floor(uniform() * (i + 1));
        const tmp = array[i] as T;
        array[i] = array[j] as T;
        array[j] = tmp;
      }
      return array;
    },
    fork: () => createRandom(next() ^ (next() << 1)),
  };
  return generator;
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

const logFactorialCache: number[] = [0, 0];

/** ln(k!) (exact sums up to 256, Stirling's series beyond). */
export function logFactorial(k: number): number {
  if (k < 256) {
    for (let i = logFactorialCache.length; i <= k; i++) {
      logFactorialCache[i] = (logFactorialCache[i - 1] as number) + Math.log(i);
    }
    return logFactorialCache[k] as number;
  }
  return (k + 0.5) * Math.log(k) - k + 0.5 * Math.log(2 * Math.PI) + 1 / (12 * k) - 1 / (360 * k * k * k);
}

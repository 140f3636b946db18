/**
 * Head-map interpolation: values at electrodes spread over the head with a biharmonic spline
 * (Sandwell 1987, "Biharmonic spline interpolation of GEOS-3 and SEASAT altimeter data"; the
 * method of MATLAB's griddata 'v4' and of EEGLAB's topoplot), exact at the electrodes and
 * smooth between them, on the 2-D projection of `electrodePosition` (u right, v front, the
 * Fpz-T7-Oz-T8 circle at radius 1). It is planar, not the spherical spline of Perrin et al.
 * (1989) that MNE's `_make_interpolation_matrix` uses (Legendre series on the unit sphere, for
 * bad-channel repair): this is the map `cajal analyze` has always drawn, moved here unchanged
 * from the CLI. Hand-written (a dense n x n solve, n = electrodes): no maintained JS library
 * offers it without a plotting stack.
 */

/** A value at an electrode: (u, v) as `electrodePosition` gives them. */
export interface ScalpValue {
  label: string;
  u: number;
  v: number;
  value: number;
}

/** Biharmonic spline Green's function (Sandwell 1987; MATLAB griddata 'v4', EEGLAB topoplot). */
function green(r: number): number {
  return r > 1e-12 ? r * r * (Math.log(r) - 1) : 0;
}

/** Solve A x = b in place by Gaussian elimination with partial pivoting (A is n x n, row-major). */
function solve(a: Float64Array, b: Float64Array, n: number): Float64Array {
  for (let k = 0; k < n; k++) {
    let pivot = k;
    for (let i = k + 1; i < n; i++) if (Math.abs(a[i * n + k] as number) > Math.abs(a[pivot * n + k] as number)) pivot = i;
    if (pivot !== k) {
      for (let j = 0; j < n; j++) {
        const t = a[k * n + j] as number;
        a[k * n + j] = a[pivot * n + j] as number;
        a[pivot * n + j] = t;
      }
      const t = b[k] as number;
      b[k] = b[pivot] as number;
      b[pivot] = t;
    }
    const d = a[k * n + k] as number;
    if (Math.abs(d) < 1e-14) continue;
    for (let i = k + 1; i < n; i++) {
      const f = (a[i * n + k] as number) / d;
      if (f === 0) continue;
      for (let j = k; j < n; j++) a[i * n + j] = (a[i * n + j] as number) - f * (a[k * n + j] as number);
      b[i] = (b[i] as number) - f * (b[k] as number);
    }
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i] as number;
    for (let j = i + 1; j < n; j++) s -= (a[i * n + j] as number) * (x[j] as number);
    const d = a[i * n + i] as number;
    x[i] = Math.abs(d) < 1e-14 ? 0 : s / d;
  }
  return x;
}

/**
 * Points at the same place (within 1e-6; duplicate electrodes) merged, their values averaged,
 * the first label kept; points with a non-finite value or position dropped.
 *
 * @example mergeCoincident([{ label: 'a', u: 0, v: 0, value: 1 }, { label: 'b', u: 0, v: 0, value: 3 }]); // [{ label: 'a', u: 0, v: 0, value: 2 }]
 */
export function mergeCoincident(points: ScalpValue[]): ScalpValue[] {
  const out: Array<ScalpValue & { count: number }> = [];
  for (const p of points) {
    if (!Number.isFinite(p.value) || !Number.isFinite(p.u) || !Number.isFinite(p.v)) continue;
    const same = out.find((q) => Math.hypot(q.u - p.u, q.v - p.v) < 1e-6);
    if (same) {
      same.value = (same.value * same.count + p.value) / (same.count + 1);
      same.count++;
    } else {
      out.push({ ...p, count: 1 });
    }
  }
  return out.map(({ label, u, v, value }) => ({ label, u, v, value }));
}

/**
 * Interpolate scattered values with a biharmonic spline (exact at the points, smooth between;
 * coincident points merged first). Returns a function of (u, v). One point gives a constant;
 * none gives NaN.
 *
 * @example
 *   const f = scalpInterpolator([{ label: 'O1', u: -0.3, v: -0.95, value: 0.6 }, ...]);
 *   f(0, 0); // value at Cz
 */
export function scalpInterpolator(points: ScalpValue[]): (u: number, v: number) => number {
  return splineOf(mergeCoincident(points));
}

/** The biharmonic spline through points already merged by {@link mergeCoincident}. */
function splineOf(p: ScalpValue[]): (u: number, v: number) => number {
  const n = p.length;
  if (n === 0) return () => NaN;
  if (n === 1) return () => (p[0] as ScalpValue).value;
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      const pi = p[i] as ScalpValue;
      const pj = p[j] as ScalpValue;
      a[i * n + j] = green(Math.hypot(pi.u - pj.u, pi.v - pj.v));
    }
  }
  const weights = solve(a, Float64Array.from(p, (q) => q.value), n);
  return (u, v) => {
    let s = 0;
    for (let j = 0; j < n; j++) {
      const q = p[j] as ScalpValue;
      s += (weights[j] as number) * green(Math.hypot(u - q.u, v - q.v));
    }
    return s;
  };
}

/** Fewest electrodes for an interpolated map; with fewer, a spline over the whole head is mostly extrapolation. */
export const minimumInterpolated = 4;

/**
 * Values on a square grid over the head (the shape @cajal/viz's `headMap` draws): `size` x
 * `size` cells covering u, v in [-radius, radius], row-major from the front (v = +radius) to
 * the back, left (u = -radius) to right; cell (row, col) is centred at u = -radius + (col +
 * 0.5) * 2 radius / size, v = radius - (row + 0.5) * 2 radius / size; NaN outside the head circle.
 */
export interface HeadGrid {
  radius: number;
  size: number;
  values: Float64Array;
}

/**
 * The biharmonic spline of the electrodes' values sampled on a `resolution` x `resolution`
 * grid over the head, whose radius holds every electrode (at least 1, the 10-20 equator;
 * 4 % beyond the outermost electrode). Undefined with fewer than `minimumInterpolated`
 * usable (merged, finite) electrodes.
 *
 * @example
 *   const grid = interpolateHeadGrid(points, { resolution: 96 });
 *   headMap(points, grid, { id: 'alpha' }); // @cajal/viz
 */
export function interpolateHeadGrid(points: ScalpValue[], options: { resolution?: number } = {}): HeadGrid | undefined {
  const usable = mergeCoincident(points);
  if (usable.length < minimumInterpolated) return undefined;
  const size = options.resolution ?? 96;
  const radius = Math.max(1, ...usable.map((p) => Math.hypot(p.u, p.v) * 1.04));
  const interpolate = splineOf(usable);
  const cell = (2 * radius) / size;
  const values = new Float64Array(size * size).fill(NaN);
  for (let row = 0; row < size; row++) {
    const v = radius - (row + 0.5) * cell;
    for (let col = 0; col < size; col++) {
      const u = -radius + (col + 0.5) * cell;
      if (Math.hypot(u, v) <= radius) values[row * size + col] = interpolate(u, v);
    }
  }
  return { radius, size, values };
}

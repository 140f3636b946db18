/**
 * The compressed spectral array as an image: time along x, frequency up the y axis (low at
 * the bottom), power in dB mapped through a perceptual colour ramp between robust limits
 * (2nd and 98th percentiles), so one artefact does not wash out the trend.
 *
 * @example
 *   const { rgba, width, height } = spectrogramImage(csa.powerDb);
 *   context.putImageData(new ImageData(rgba, width, height), 0, 0);
 */

/** A viridis-like ramp: 0 -> dark blue, 1 -> yellow; returns [r, g, b] 0..255. */
export function colourRamp(value: number): [number, number, number] {
  const stops: [number, number, number][] = [[68, 1, 84], [59, 82, 139], [33, 145, 140], [94, 201, 98], [253, 231, 37]];
  const v = Math.min(1, Math.max(0, Number.isFinite(value) ? value : 0)) * (stops.length - 1);
  const i = Math.min(stops.length - 2, Math.floor(v));
  const f = v - i;
  const a = stops[i]!;
  const b = stops[i + 1]!;
  return [Math.round(a[0] + f * (b[0] - a[0])), Math.round(a[1] + f * (b[1] - a[1])), Math.round(a[2] + f * (b[2] - a[2]))];
}

/** Power limits (dB) at the 2nd and 98th percentiles of all finite values. */
export function robustLimits(powerDb: readonly (readonly number[])[]): [number, number] {
  const values: number[] = [];
  for (const row of powerDb) for (const v of row) if (Number.isFinite(v)) values.push(v);
  if (values.length === 0) return [0, 1];
  values.sort((x, y) => x - y);
  const low = values[Math.floor(0.02 * (values.length - 1))]!;
  const high = values[Math.ceil(0.98 * (values.length - 1))]!;
  return high > low ? [low, high] : [low, low + 1];
}

/**
 * RGBA pixels for `powerDb[timeIndex][frequencyIndex]`: width = number of times, height =
 * number of frequencies, row 0 = highest frequency.
 */
export function spectrogramImage(powerDb: readonly (readonly number[])[]): { rgba: Uint8ClampedArray<ArrayBuffer>; width: number; height: number; limitsDb: [number, number] } {
  const width = powerDb.length;
  const height = width > 0 ? powerDb[0]!.length : 0;
  const limitsDb = robustLimits(powerDb);
  const rgba = new Uint8ClampedArray(new ArrayBuffer(Math.max(0, width * height * 4)));
  const span = limitsDb[1] - limitsDb[0];
  for (let t = 0; t < width; t++) {
    const column = powerDb[t]!;
    for (let f = 0; f < height; f++) {
      const [r, g, b] = colourRamp(((column[f] ?? NaN) - limitsDb[0]) / span);
      const p = ((height - 1 - f) * width + t) * 4;
      rgba[p] = r;
      rgba[p + 1] = g;
      rgba[p + 2] = b;
      rgba[p + 3] = 255;
    }
  }
  return { rgba, width, height, limitsDb };
}

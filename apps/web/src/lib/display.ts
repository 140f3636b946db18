/**
 * Display scales of the EEG viewer. Gain is in µV/mm and timebase in mm/s, converted to
 * screen pixels with the CSS assumption of 96 px per inch (3.78 px/mm); the true physical
 * size depends on the monitor, which browsers do not report.
 *
 * @example
 *   const pxPerMicrovolt = pixelsPerMicrovolt(7); // 7 µV/mm -> 0.54 px/µV
 */

/** CSS pixels per millimetre (96 dpi / 25.4 mm per inch). */
export const cssPixelsPerMillimetre = 96 / 25.4;

/** Screen pixels per µV at a gain of `microvoltsPerMillimetre` (typical 7 or 10 µV/mm). */
export function pixelsPerMicrovolt(microvoltsPerMillimetre: number): number {
  return cssPixelsPerMillimetre / microvoltsPerMillimetre;
}

/** Seconds shown across `widthPixels` at `millimetresPerSecond` (the classic paper speed is 30 mm/s). */
export function pageSecondsForTimebase(millimetresPerSecond: number, widthPixels: number): number {
  return widthPixels / cssPixelsPerMillimetre / millimetresPerSecond;
}

/** The timebase (mm/s) that shows `pageSeconds` across `widthPixels`. */
export function timebaseForPageSeconds(pageSeconds: number, widthPixels: number): number {
  return widthPixels / cssPixelsPerMillimetre / pageSeconds;
}

/**
 * Min/max envelope of `samples[from, to)` in `columns` pixel columns: returns
 * [min0, max0, min1, max1, ...]. Drawing a vertical line per column keeps every peak visible
 * when there are more samples than pixels.
 */
export function minMaxColumns(samples: Float32Array, from: number, to: number, columns: number): Float32Array {
  const out = new Float32Array(columns * 2);
  const count = Math.max(0, to - from);
  for (let c = 0; c < columns; c++) {
    const begin = from + Math.floor((c * count) / columns);
    const end = Math.max(begin + 1, from + Math.floor(((c + 1) * count) / columns));
    let low = Infinity;
    let high = -Infinity;
    for (let i = begin; i < end && i < to; i++) {
      const v = samples[i] as number;
      if (v < low) low = v;
      if (v > high) high = v;
    }
    out[2 * c] = low === Infinity ? NaN : low;
    out[2 * c + 1] = high === -Infinity ? NaN : high;
  }
  return out;
}

/** Page index containing `timeSeconds` for pages of `pageSeconds` (clamped at 0). */
export function pageIndexAt(timeSeconds: number, pageSeconds: number): number {
  return Math.max(0, Math.floor(timeSeconds / pageSeconds + 1e-9));
}

/** The last page index of a recording `durationSeconds` long. */
export function lastPageIndex(durationSeconds: number, pageSeconds: number): number {
  return Math.max(0, Math.ceil(durationSeconds / pageSeconds - 1e-9) - 1);
}

import { CajalError } from '@cajal/core';

/**
 * Physical dimensions as exponents of the SI base units [metre, kilogram, second, ampere].
 * Every value inside the simulator is stored in SI (volt, second, siemens, amp), so `20*ms`
 * is 0.02 and `-60*mV` is -0.06.
 *
 * @example
 *   parseUnit('mV'); // { value: 0.001, dimension: [2, 1, -3, -1] }
 */
export type Dimension = readonly [number, number, number, number];

/** A number with its dimension (value in SI). */
export interface Quantity {
  value: number;
  dimension: Dimension;
}

/** The dimensionless dimension. */
export const DIMENSIONLESS: Dimension = [0, 0, 0, 0];
/** Seconds. */
export const SECOND: Dimension = [0, 0, 1, 0];

const baseUnits: Record<string, Dimension> = {
  metre: [1, 0, 0, 0], meter: [1, 0, 0, 0], m: [1, 0, 0, 0],
  gram: [0, 1, 0, 0], g: [0, 1, 0, 0],
  second: [0, 0, 1, 0], s: [0, 0, 1, 0],
  amp: [0, 0, 0, 1], ampere: [0, 0, 0, 1], A: [0, 0, 0, 1],
  volt: [2, 1, -3, -1], V: [2, 1, -3, -1],
  siemens: [-2, -1, 3, 2], S: [-2, -1, 3, 2],
  farad: [-2, -1, 4, 2], F: [-2, -1, 4, 2],
  ohm: [2, 1, -3, -2], Ohm: [2, 1, -3, -2],
  hertz: [0, 0, -1, 0], Hz: [0, 0, -1, 0],
  coulomb: [0, 0, 1, 1], C: [0, 0, 1, 1],
};
// gram is 1e-3 kg; everything else has scale 1.
const baseScale: Record<string, number> = { gram: 1e-3, g: 1e-3 };
const prefixes: Record<string, number> = {
  p: 1e-12, n: 1e-9, u: 1e-6, '\u00b5': 1e-6, m: 1e-3, c: 1e-2, d: 1e-1, k: 1e3, M: 1e6, G: 1e9,
  pico: 1e-12, nano: 1e-9, micro: 1e-6, milli: 1e-3, centi: 1e-2, kilo: 1e3, mega: 1e6,
};

/**
 * Resolve a unit name such as `mV`, `ms`, `nS`, `pF`, `umetre`, `Hz`, `kHz`, `cm2`
 * ("cm2"/"cm3" mean cm squared/cubed, as in Brian). Returns undefined for unknown names.
 */
export function lookupUnit(name: string): Quantity | undefined {
  const power = /^(.*[a-zA-Z])([23])$/.exec(name);
  if (power) {
    const unit = lookupUnit(power[1] as string);
    if (!unit) return undefined;
    const p = Number(power[2]);
    return { value: unit.value ** p, dimension: scaleDimension(unit.dimension, p) };
  }
  const direct = baseUnits[name];
  if (direct) return { value: baseScale[name] ?? 1, dimension: direct };
  for (const [prefix, factor] of Object.entries(prefixes)) {
    if (!name.startsWith(prefix)) continue;
    const rest = name.slice(prefix.length);
    const base = baseUnits[rest];
    // single-letter prefixes go with symbols (mV), word prefixes with names (millivolt); "mvolt" (Brian) too.
    if (base) return { value: factor * (baseScale[rest] ?? 1), dimension: base };
  }
  return undefined;
}

/** a * b dimensions. */
export function multiplyDimensions(a: Dimension, b: Dimension): Dimension {
  return [a[0] + b[0], a[1] + b[1], a[2] + b[2], a[3] + b[3]];
}

/** a / b dimensions. */
export function divideDimensions(a: Dimension, b: Dimension): Dimension {
  return [a[0] - b[0], a[1] - b[1], a[2] - b[2], a[3] - b[3]];
}

/** a ** p dimensions. */
export function scaleDimension(a: Dimension, p: number): Dimension {
  return [a[0] * p, a[1] * p, a[2] * p, a[3] * p];
}

/** True when both dimensions are equal. */
export function sameDimension(a: Dimension, b: Dimension): boolean {
  return Math.abs(a[0] - b[0]) < 1e-9 && Math.abs(a[1] - b[1]) < 1e-9 && Math.abs(a[2] - b[2]) < 1e-9 && Math.abs(a[3] - b[3]) < 1e-9;
}

/** True for the dimensionless dimension. */
export function isDimensionless(a: Dimension): boolean {
  return sameDimension(a, DIMENSIONLESS);
}

const namedDimensions: Array<[string, Dimension]> = [
  ['1', DIMENSIONLESS], ['volt', baseUnits['volt'] as Dimension], ['second', SECOND], ['amp', baseUnits['amp'] as Dimension],
  ['siemens', baseUnits['siemens'] as Dimension], ['farad', baseUnits['farad'] as Dimension], ['ohm', baseUnits['ohm'] as Dimension],
  ['hertz', baseUnits['hertz'] as Dimension], ['metre', baseUnits['metre'] as Dimension], ['coulomb', baseUnits['coulomb'] as Dimension],
];

/**
 * A readable name for a dimension: "volt", "volt/second", "siemens/metre^2", or base-unit
 * exponents when no name fits.
 */
export function formatDimension(d: Dimension): string {
  for (const [name, dim] of namedDimensions) if (sameDimension(d, dim)) return name;
  for (const [name, dim] of namedDimensions) {
    if (name === '1') continue;
    for (const [other, odim] of namedDimensions) {
      if (other === '1' || other === name) continue;
      for (const p of [1, 2, 3]) {
        if (sameDimension(d, divideDimensions(dim, scaleDimension(odim, p)))) return `${name}/${other}${p > 1 ? `^${p}` : ''}`;
        if (sameDimension(d, multiplyDimensions(dim, scaleDimension(odim, p)))) return `${name}*${other}${p > 1 ? `^${p}` : ''}`;
      }
    }
  }
  const labels = ['m', 'kg', 's', 'A'];
  const parts = d.map((e, i) => (e === 0 ? '' : `${labels[i]}${e === 1 ? '' : `^${e}`}`)).filter(Boolean);
  return parts.join(' ') || '1';
}

/** Throw UNIT_MISMATCH unless `actual` equals `expected`, naming `where` (an equation) in the message. */
export function expectDimension(actual: Dimension, expected: Dimension, where: string, what: string): void {
  if (!sameDimension(actual, expected)) {
    throw new CajalError(
      'UNIT_MISMATCH',
      `${what} has dimension ${formatDimension(actual)} but ${formatDimension(expected)} is expected in "${where}"`,
      { field: where, actual: formatDimension(actual), expected: formatDimension(expected) },
    );
  }
}

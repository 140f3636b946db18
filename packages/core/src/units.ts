import { CajalError } from './errors.ts';

/**
 * Physical units of voltage channels. Files spell micro as "uV", "µV" (U+00B5) or "μV"
 * (U+03BC); all normalise to "uV".
 *
 * @example
 *   voltageScale('mV', 'uV'); // 1000
 */
const voltsPerUnit: Record<string, number> = { V: 1, mV: 1e-3, uV: 1e-6, nV: 1e-9, pV: 1e-12, kV: 1e3 };

/** Normalise a unit's spelling ("µV" and "μV" become "uV"; surrounding spaces removed). */
export function normalizeUnit(unit: string): string {
  return unit.trim().replace(/^[\u00b5\u03bc]/, 'u');
}

/** True when the unit is a voltage unit Cajal can convert. */
export function isVoltageUnit(unit: string): boolean {
  return normalizeUnit(unit) in voltsPerUnit;
}

/** Volts per one `unit` (e.g. 1e-6 for "uV"); throws UNIT_MISMATCH for non-voltage units. */
export function voltsPer(unit: string): number {
  const factor = voltsPerUnit[normalizeUnit(unit)];
  if (factor === undefined) throw new CajalError('UNIT_MISMATCH', `"${unit}" is not a voltage unit`);
  return factor;
}

/** The factor that converts values in `from` to values in `to` (both voltage units). */
export function voltageScale(from: string, to: string): number {
  return voltsPer(from) / voltsPer(to);
}

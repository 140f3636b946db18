import { CajalError } from '@cajal/core';

/**
 * Standard 10-20 / 10-10 electrode positions on an idealised spherical head, as data:
 * 3-D unit vectors (x right, y front/nasion, z up) and a 2-D azimuthal-equidistant
 * projection (the vertex Cz at the origin, the Fpz-T7-Oz-T8 equator on the unit circle).
 * Rows (AF, F, FC, C, CP, P, PO) lie on the circle through their two temporal ends (on the
 * equator) and their midline electrode, in equal angular steps, as the 10-10 rules place them.
 * Plus label normalisation: case, "EEG Fp1-REF" prefixes/suffixes, old names T3/T4/T5/T6.
 */
export interface ElectrodePosition {
  label: string;
  /** Unit vector, x right, y front, z up. */
  x: number;
  y: number;
  z: number;
  /** 2-D projection: x right, y front; the equator at radius 1. */
  u: number;
  v: number;
}

type Vector = [number, number, number];
const deg = Math.PI / 180;

function spherical(thetaDeg: number, azimuthDeg: number): Vector {
  const t = thetaDeg * deg;
  const a = azimuthDeg * deg;
  return [Math.sin(t) * Math.sin(a), Math.sin(t) * Math.cos(a), Math.cos(t)];
}

const subtract = (a: Vector, b: Vector): Vector => [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
const dot = (a: Vector, b: Vector): number => a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
const cross = (a: Vector, b: Vector): Vector => [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
const scaled = (a: Vector, s: number): Vector => [a[0] * s, a[1] * s, a[2] * s];
const norm = (a: Vector): number => Math.sqrt(dot(a, a));

/** Points at equal angles on the circle through left, middle, right (2 * half + 1 points). */
function arcPoints(left: Vector, middle: Vector, right: Vector, half: number): Vector[] {
  // The circle lies in the plane through the three points; its centre is the plane's closest point to the origin.
  const normal = cross(subtract(middle, left), subtract(right, left));
  const unitNormal = scaled(normal, 1 / norm(normal));
  const centre = scaled(unitNormal, dot(unitNormal, left));
  const a = subtract(left, centre);
  const m = subtract(middle, centre);
  const radius = norm(a);
  const e1 = scaled(a, 1 / radius);
  const e2raw = subtract(m, scaled(e1, dot(m, e1)));
  const e2 = scaled(e2raw, 1 / norm(e2raw));
  const angle = Math.atan2(dot(m, e2), dot(m, e1));
  const out: Vector[] = [];
  for (let i = 0; i <= 2 * half; i++) {
    const phi = (angle * i) / half;
    const p: Vector = [
      centre[0] + radius * (Math.cos(phi) * e1[0] + Math.sin(phi) * e2[0]),
      centre[1] + radius * (Math.cos(phi) * e1[1] + Math.sin(phi) * e2[1]),
      centre[2] + radius * (Math.cos(phi) * e1[2] + Math.sin(phi) * e2[2]),
    ];
    out.push(scaled(p, 1 / norm(p)));
  }
  return out;
}

function buildPositions(): Map<string, Vector> {
  const map = new Map<string, Vector>();
  // Equator: 10 % steps of 18 degrees from Fpz (front) round to Oz (back).
  map.set('Fpz', spherical(90, 0));
  map.set('Fp1', spherical(90, -18));
  map.set('Fp2', spherical(90, 18));
  map.set('Oz', spherical(90, 180));
  map.set('O1', spherical(90, -162));
  map.set('O2', spherical(90, 162));
  const rows: Array<{ prefix: string; left: string; right: string; middle: string; azimuth: number; midTheta: number; midAzimuth: number }> = [
    { prefix: 'AF', left: 'AF7', right: 'AF8', middle: 'AFz', azimuth: 36, midTheta: 67.5, midAzimuth: 0 },
    { prefix: 'F', left: 'F7', right: 'F8', middle: 'Fz', azimuth: 54, midTheta: 45, midAzimuth: 0 },
    { prefix: 'FC', left: 'FT7', right: 'FT8', middle: 'FCz', azimuth: 72, midTheta: 22.5, midAzimuth: 0 },
    { prefix: 'C', left: 'T7', right: 'T8', middle: 'Cz', azimuth: 90, midTheta: 0, midAzimuth: 0 },
    { prefix: 'CP', left: 'TP7', right: 'TP8', middle: 'CPz', azimuth: 108, midTheta: 22.5, midAzimuth: 180 },
    { prefix: 'P', left: 'P7', right: 'P8', middle: 'Pz', azimuth: 126, midTheta: 45, midAzimuth: 180 },
    { prefix: 'PO', left: 'PO7', right: 'PO8', middle: 'POz', azimuth: 144, midTheta: 67.5, midAzimuth: 180 },
  ];
  for (const row of rows) {
    const points = arcPoints(spherical(90, -row.azimuth), spherical(row.midTheta, row.midAzimuth), spherical(90, row.azimuth), 4);
    const labels = [row.left, `${row.prefix}5`, `${row.prefix}3`, `${row.prefix}1`, row.middle, `${row.prefix}2`, `${row.prefix}4`, `${row.prefix}6`, row.right];
    labels.forEach((label, i) => map.set(label, points[i] as Vector));
  }
  // The inferior ring, 10 % (18 degrees) below the equator, under its equator partner (the 10-10
  // positions MNE's standard_1020 montage holds): AF9/AF10 under AF7/AF8, F9/F10 under F7/F8,
  // FT9/FT10, T9/T10, TP9/TP10, P9/P10, PO9/PO10, O9/O10 under O1/O2; Nz and Iz on the midline.
  const inferior: Array<[string, string, number]> = [['AF9', 'AF10', 36], ['F9', 'F10', 54], ['FT9', 'FT10', 72], ['T9', 'T10', 90], ['TP9', 'TP10', 108], ['P9', 'P10', 126], ['PO9', 'PO10', 144], ['O9', 'O10', 162]];
  for (const [left, right, azimuth] of inferior) {
    map.set(left, spherical(108, -azimuth));
    map.set(right, spherical(108, azimuth));
  }
  // Reference sites below the ring: ear lobes A1/A2, mastoids M1/M2 (for linked references).
  map.set('A1', spherical(115, -90));
  map.set('A2', spherical(115, 90));
  map.set('M1', spherical(115, -110));
  map.set('M2', spherical(115, 110));
  map.set('Nz', spherical(108, 0));
  map.set('Iz', spherical(108, 180));
  return map;
}

function toPosition(label: string, p: Vector): ElectrodePosition {
  const theta = Math.acos(Math.max(-1, Math.min(1, p[2])));
  const horizontal = Math.hypot(p[0], p[1]);
  const r = theta / (Math.PI / 2);
  const u = horizontal > 0 ? (r * p[0]) / horizontal : 0;
  const v = horizontal > 0 ? (r * p[1]) / horizontal : 0;
  return { label, x: p[0], y: p[1], z: p[2], u, v };
}

const positions1010 = new Map<string, ElectrodePosition>([...buildPositions()].map(([label, p]) => [label, toPosition(label, p)]));

/** The 21 electrodes of the 10-20 system (plus A1/A2) in the usual order. */
export const standard1020Labels = ['Fp1', 'Fp2', 'F7', 'F3', 'Fz', 'F4', 'F8', 'T7', 'C3', 'Cz', 'C4', 'T8', 'P7', 'P3', 'Pz', 'P4', 'P8', 'O1', 'O2', 'Fpz', 'Oz', 'A1', 'A2'];

/** Every label of the 10-10 set held here. */
export const standard1010Labels = [...positions1010.keys()];

/** Old 10-20 names and their 10-10 equivalents. */
const aliases: Record<string, string> = { T3: 'T7', T4: 'T8', T5: 'P7', T6: 'P8' };
const canonical = new Map<string, string>([...positions1010.keys()].map((l) => [l.toLowerCase(), l]));

/**
 * Normalise an electrode label: "EEG Fp1-REF" -> "Fp1", "FP1" -> "Fp1", "T3" -> "T7",
 * "EEG T5-LE" -> "P7". Returns null when it is no known 10-10 electrode.
 *
 * @example
 *   normalizeElectrodeLabel('EEG T3-Ref'); // 'T7'
 */
export function normalizeElectrodeLabel(label: string): string | null {
  let text = label.trim().replace(/^(EEG|EOG|ECG|EMG)\s+/i, '');
  text = text.replace(/[-_ ](REF|Ref|ref|LE|RE|AR|AVG|Avg|M1|M2|A1|A2|CAR|LM|RM)$/i, '').trim();
  const upper = text.toUpperCase();
  const alias = Object.keys(aliases).find((a) => a === upper);
  if (alias) return aliases[alias] as string;
  return canonical.get(text.toLowerCase()) ?? null;
}

/**
 * A channel label as one electrode or a bipolar pair ("FP1-F7" -> ['Fp1', 'F7']); null when
 * neither part is a known electrode.
 */
export function parseChannelLabel(label: string): { electrode: string } | { pair: [string, string] } | null {
  const single = normalizeElectrodeLabel(label);
  if (single) return { electrode: single };
  const stripped = label.trim().replace(/^(EEG)\s+/i, '');
  const parts = stripped.split('-');
  if (parts.length === 2) {
    const a = normalizeElectrodeLabel(parts[0] as string);
    const b = normalizeElectrodeLabel(parts[1] as string);
    if (a && b) return { pair: [a, b] };
  }
  return null;
}

/**
 * Position of an electrode (any accepted spelling) or of a bipolar channel (the normalised
 * midpoint of its two electrodes); null when unknown.
 *
 * @example
 *   electrodePosition('EEG C3-REF')?.u; // about -0.5
 */
export function electrodePosition(label: string): ElectrodePosition | null {
  const parsed = parseChannelLabel(label);
  if (!parsed) return null;
  if ('electrode' in parsed) return { ...(positions1010.get(parsed.electrode) as ElectrodePosition), label };
  const a = positions1010.get(parsed.pair[0]) as ElectrodePosition;
  const b = positions1010.get(parsed.pair[1]) as ElectrodePosition;
  const mid: Vector = [(a.x + b.x) / 2, (a.y + b.y) / 2, (a.z + b.z) / 2];
  const length = norm(mid);
  if (length === 0) throw new CajalError('INVALID_ARGUMENT', `bipolar channel ${label} joins opposite electrodes`, { field: 'label' });
  return toPosition(label, scaled(mid, 1 / length));
}

/** All held positions (10-10 set with its inferior ring AF9..O10, plus A1/A2/M1/M2/Nz/Iz). */
export function standardPositions(): ElectrodePosition[] {
  return [...positions1010.values()];
}

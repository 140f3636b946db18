/**
 * What de-identification does with a recording's start date, and the subject code that
 * replaces the patient's identification. Shared by every format's de-identification.
 */

/** Every date policy, in the order they are offered (see `DatePolicy`). */
export const datePolicies = ['keep', 'year', 'shift', 'remove'] as const;

/**
 * A project's date policy: `keep` the start, reduce it to the `year` (1 January, same time of
 * day), `shift` it back by a number of days fixed per subject, or `remove` it.
 */
export type DatePolicy = (typeof datePolicies)[number];

/**
 * Options every format's de-identification takes.
 *
 * @example
 *   const options: DeidentifyOptions = { subjectCode: 'S01', datePolicy: 'shift', shiftDays: 42 };
 */
export interface DeidentifyOptions {
  /** Replaces the patient identification; null or blank gives "X". Spaces become "_". */
  subjectCode: string | null;
  datePolicy: DatePolicy;
  /** Days the start moves back under the `shift` policy (the caller picks them); default 0. */
  shiftDays?: number;
  /**
   * Extra words to mask wherever free text is rewritten (a person's name known to the caller);
   * default none. EDF/BDF adds the tokens of its own patient field.
   */
  names?: string[];
}

/** One rewritten piece of a file, at its byte offset in the original file. */
export interface DeidentifiedField {
  /** The header field or line, e.g. "patient_identification", "Mk2 description". */
  field: string;
  byteOffset: number;
  /** Bytes the field had in the original file. */
  length: number;
  /** What was done, in words (never the original value). */
  action: string;
}

/**
 * What a de-identification changed: the fields rewritten, how many annotation texts had spans
 * masked, and the days the start was shifted. It names no original value.
 */
export interface DeidentificationChanges {
  /** `edf-header-rewrite` (EDF/BDF), `brainvision-text-rewrite`, or `metadata-only` (bytes untouched). */
  method: 'edf-header-rewrite' | 'brainvision-text-rewrite' | 'metadata-only';
  fields: DeidentifiedField[];
  /** Annotation texts (EDF+ TAL texts, BrainVision markers) in which a span was masked. */
  annotationsRedacted: number;
  /** Spans (dates, name tokens) masked in those texts. */
  spansMasked: number;
  /** Days the start date was moved back (shift policy), else 0. */
  shiftDays: number;
}

/**
 * The subject code as written into a file: whitespace runs become "_", null or blank is "X".
 *
 * @example
 *   normalizeSubjectCode('S 7') // 'S_7'
 */
export function normalizeSubjectCode(subjectCode: string | null): string {
  return (subjectCode ?? 'X').replace(/\s+/g, '_') || 'X';
}

/**
 * The start time a policy leaves (UTC), or null when removed. `shiftDays` is used by `shift` only.
 *
 * @example
 *   applyDatePolicy(new Date('2021-03-04T10:11:12Z'), 'year', 0) // 2021-01-01T10:11:12Z
 */
export function applyDatePolicy(start: Date | null, policy: DatePolicy, shiftDays: number): Date | null {
  if (!start || policy === 'remove') return null;
  if (policy === 'keep') return start;
  if (policy === 'year') return new Date(Date.UTC(start.getUTCFullYear(), 0, 1, start.getUTCHours(), start.getUTCMinutes(), start.getUTCSeconds()));
  return new Date(start.getTime() - shiftDays * 86400_000);
}

/** A rewrite at `byteOffset` of the original file: `bytes` replace as many bytes there. */
export interface BytePatch {
  byteOffset: number;
  bytes: Uint8Array;
}

/**
 * Apply patches to a copy of `bytes` (the input is not changed).
 *
 * @example
 *   applyPatches(new Uint8Array([1, 2, 3]), [{ byteOffset: 1, bytes: new Uint8Array([9]) }]) // [1, 9, 3]
 */
export function applyPatches(bytes: Uint8Array, patches: BytePatch[]): Uint8Array {
  const out = bytes.slice();
  for (const patch of patches) out.set(patch.bytes, patch.byteOffset);
  return out;
}

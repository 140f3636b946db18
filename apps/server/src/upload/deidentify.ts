/**
 * The server's glue around `@cajal/formats`' de-identification of an uploaded EDF/EDF+/BDF/BDF+
 * file (the stored copy, before it enters the blob store): the per-project, per-subject date
 * shift, applying formats' rewrites to the file in place (streaming, so a 1 GB upload is not
 * held in memory), and the report kept with the recording. The report names what was changed
 * but never the original values.
 */
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { normalizeSubjectCode, planEdfDeidentification } from '@cajal/formats';
import type { DeidentificationChanges, EdfHeader } from '@cajal/formats';
import { openPathSource } from '@cajal/formats/node';
import type { DatePolicy } from '../storage/storage.ts';

/** What the server records about a recording's de-identification (stored as JSON with it). */
export interface DeidentificationReport extends DeidentificationChanges {
  datePolicy: DatePolicy;
  /** The uploaded file's name was replaced by this one. */
  fileNameReplaced: boolean;
  storedName: string;
  /** sha256 of the file as uploaded (kept for provenance; the file itself is not kept). */
  originalSha256: string;
  consentOnRecord: boolean;
  performedAt: string;
}

/**
 * How many days a subject's dates move back under the "shift" policy: 1-365, fixed per
 * project and subject code (derived from their sha256), so a subject's recordings keep their
 * spacing.
 *
 * @example
 *   shiftDaysFor('project-1', 'S01') // the same number of days for every recording of S01
 */
export function shiftDaysFor(projectId: string, subjectCode: string): number {
  const digest = createHash('sha256').update(`cajal-date-shift:${projectId}:${subjectCode}`).digest();
  return (digest.readUInt32BE(0) % 365) + 1;
}

/**
 * Rewrite the identifying parts of the EDF/BDF file at `path` in place, as
 * `planEdfDeidentification` (in `@cajal/formats`) says; `edf` is the header already parsed.
 *
 * @example
 *   const changes = await deidentifyEdfFile(tempPath, opened.edf, { subjectCode: 'S01', datePolicy: 'year', projectId });
 */
export async function deidentifyEdfFile(
  path: string,
  edf: EdfHeader,
  options: { subjectCode: string | null; datePolicy: DatePolicy; projectId: string },
): Promise<DeidentificationChanges> {
  const code = normalizeSubjectCode(options.subjectCode);
  const shiftDays = options.datePolicy === 'shift' ? shiftDaysFor(options.projectId, code) : 0;
  const source = await openPathSource(path);
  let plan: Awaited<ReturnType<typeof planEdfDeidentification>>;
  try {
    plan = await planEdfDeidentification(source, { subjectCode: code, datePolicy: options.datePolicy, shiftDays }, edf);
  } finally {
    await source.close?.();
  }
  const handle = await open(path, 'r+');
  try {
    for (const patch of plan.patches) await handle.write(patch.bytes, 0, patch.bytes.length, patch.byteOffset);
    await handle.sync();
  } finally {
    await handle.close();
  }
  return plan.changes;
}

/**
 * One entry for de-identifying a recording file held in memory, whatever its format: picks
 * EDF/BDF, a BrainVision header or a BrainVision marker file from the bytes (else the name).
 * Other formats (NIfTI, a BrainVision `.eeg`, which holds samples only) are returned unchanged
 * with method `metadata-only`: only what Cajal stores about them is de-identified.
 */
import { edfReader } from '../edf/reader.ts';
import { deidentifyEdf } from '../edf/deidentify.ts';
import { deidentifyBrainVisionHeader, deidentifyBrainVisionMarkers } from '../brainvision/deidentify.ts';
import type { BrainVisionDeidentifyOptions } from '../brainvision/deidentify.ts';
import { isBrainVisionHeaderLine } from '../brainvision/header.ts';
import type { DeidentificationChanges } from './policy.ts';

/** Which de-identification `deidentifyRecordingBytes` applied. */
export type DeidentifiedKind = 'edf' | 'brainvision-header' | 'brainvision-markers' | 'unchanged';

function firstLine(bytes: Uint8Array): string {
  const head = bytes.subarray(0, Math.min(bytes.length, 256));
  let text = '';
  for (const byte of head) {
    if (byte === 0x0a || byte === 0x0d) break;
    text += String.fromCharCode(byte);
  }
  return text.replace(/^\xef\xbb\xbf/, '').trim();
}

/**
 * De-identify the file `bytes` (named `name`, used when the bytes do not tell the format).
 * Returns new bytes (or the same array when unchanged), the kind applied and what changed.
 *
 * @example
 *   const { bytes, kind, changes } = await deidentifyRecordingBytes(file, 'night.edf', { subjectCode: 'S01', datePolicy: 'shift', shiftDays: 17 });
 *   kind; // 'edf'
 */
export async function deidentifyRecordingBytes(
  bytes: Uint8Array,
  name: string,
  options: BrainVisionDeidentifyOptions,
): Promise<{ bytes: Uint8Array; kind: DeidentifiedKind; changes: DeidentificationChanges }> {
  const line = firstLine(bytes);
  if (edfReader.detect(bytes.subarray(0, 8), name)) return { ...(await deidentifyEdf(bytes, options)), kind: 'edf' };
  if (isBrainVisionHeaderLine(line) || (!/marker file/i.test(line) && /\.(vhdr|ahdr)$/i.test(name))) {
    return { ...deidentifyBrainVisionHeader(bytes, options), kind: 'brainvision-header' };
  }
  if (/^brain\s?vision (data exchange|v-amp data) marker file/i.test(line) || /\.(vmrk|amrk)$/i.test(name)) {
    return { ...deidentifyBrainVisionMarkers(bytes, options), kind: 'brainvision-markers' };
  }
  return { bytes, kind: 'unchanged', changes: { method: 'metadata-only', fields: [], annotationsRedacted: 0, spansMasked: 0, shiftDays: 0 } };
}

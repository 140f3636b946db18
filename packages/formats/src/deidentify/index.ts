/**
 * De-identification of recording files, pure functions on bytes: EDF/EDF+/BDF/BDF+ (header
 * fields and annotation texts rewritten in place, layout kept), BrainVision header and marker
 * files (comments, marker texts and dates, file names), and the format-neutral text redaction
 * and date policy they share.
 *
 * @example
 *   import { deidentifyRecordingBytes } from '@cajal/formats';
 *   const { bytes, changes } = await deidentifyRecordingBytes(file, 'night.edf', { subjectCode: 'S01', datePolicy: 'year' });
 */
export { applyDatePolicy, applyPatches, datePolicies, normalizeSubjectCode } from './policy.ts';
export type { BytePatch, DatePolicy, DeidentificationChanges, DeidentifiedField, DeidentifyOptions } from './policy.ts';
export { nameTokens, redactText } from './redact.ts';
export { deidentifyRecordingBytes } from './recording.ts';
export type { DeidentifiedKind } from './recording.ts';
export { deidentifyEdf, planEdfDeidentification, redactTalBlock } from '../edf/deidentify.ts';
export { deidentifyBrainVisionHeader, deidentifyBrainVisionMarkers } from '../brainvision/deidentify.ts';
export type { BrainVisionDeidentifyOptions } from '../brainvision/deidentify.ts';

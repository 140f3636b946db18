/**
 * EDF, EDF+ (continuous and discontinuous), BDF and BDF+: a hand-written reader and writer.
 *
 * @example
 *   import { readRecording } from '@cajal/formats';
 *   const recording = await readRecording(await file.arrayBuffer(), { name: file.name });
 */
export { edfReader, openEdf } from './reader.ts';
export type { EdfOpened } from './reader.ts';
export type { EdfHeader, EdfSignal } from './header.ts';
export { windowFor } from './timeline.ts';
export type { RecordWindow } from './timeline.ts';
export { writeEdf, writeBdf, planEdf, chooseRecordDuration } from './writer.ts';
export type { EdfWriteOptions, EdfWriteResult, EdfWritePlan } from './writer.ts';
export { EdfRecordEncoder } from './encoder.ts';
export { encodeHeader } from './layout.ts';
export type { EdfWriteSpec, EdfWriteSignal } from './layout.ts';

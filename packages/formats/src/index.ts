/**
 * @cajal/formats: readers and writers of brain-recording files (EDF/EDF+/BDF/BDF+,
 * BrainVision, NIfTI), browser-safe. Node-only entry points (paths) are in `@cajal/formats/node`.
 */
export * from './source.ts';
export * from './read.ts';
export * from './page-read.ts';
export * from './signal-page.ts';
export { registerReader } from './registry.ts';
export * from './edf/index.ts';
export * from './brainvision/index.ts';
export * from './nifti/index.ts';
export * from './deidentify/index.ts';

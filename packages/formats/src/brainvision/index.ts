/** BrainVision Core data format (`.vhdr`/`.vmrk`/`.eeg`) and the V-Amp `.ahdr`/`.amrk` variant. */
export { brainVisionReader, openBrainVision } from './reader.ts';
export type { BrainVisionRecordingHeader } from './reader.ts';
export { parseBrainVisionHeader, isBrainVisionHeaderLine, bytesPerSample } from './header.ts';
export type { BrainVisionHeader, BrainVisionChannelInfo, BrainVisionBinaryFormat } from './header.ts';
export { parseBrainVisionMarkers, markersToAnnotations, startTimeFromMarkers } from './markers.ts';
export type { BrainVisionMarker } from './markers.ts';
export { decodeColumn } from './decode.ts';
export { sampleRangeFor } from './range.ts';

/** NIfTI-1 and NIfTI-2 images (.nii, .nii.gz, .hdr/.img): volumes, affine, voxel and region time series. */
export { niftiReader, openNifti } from './reader.ts';
export type { NiftiRecordingOptions, NiftiRecordingHeader } from './reader.ts';
export { parseNiftiHeader, sniffNifti, niftiDatatypes, voxelCount } from './header.ts';
export type { NiftiHeader } from './header.ts';
export { niftiAffine, qformAffine, sformAffine, fallbackAffine, quaternionToMatrix, applyAffine } from './affine.ts';
export type { Affine } from './affine.ts';
export { readNiftiVolume, readNiftiHeader, readNiftiData, decodeVoxels, scalingOf, checkVolumeSize, defaultMaxVoxels } from './volume.ts';
export type { NiftiVolume, NiftiReadOptions } from './volume.ts';
export { voxelTimeSeries, regionTimeSeries, regionVoxels, meanSeries, brainMask, timeStepSeconds, volumeGeometry } from './series.ts';
export type { NiftiRegion } from './series.ts';

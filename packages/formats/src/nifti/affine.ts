import type { NiftiHeader } from './header.ts';

/** A 4x4 matrix, row-major: voxel (i, j, k, 1) -> world (x, y, z, 1) in the header's spatial unit. */
export type Affine = number[][];

/**
 * Rotation matrix of a unit quaternion (w, x, y, z), as nibabel's `quat2mat`; identity when the
 * quaternion is (near) zero.
 */
export function quaternionToMatrix(w: number, x: number, y: number, z: number): number[][] {
  const norm = w * w + x * x + y * y + z * z;
  if (norm < 2.220446049250313e-16) return [[1, 0, 0], [0, 1, 0], [0, 0, 1]];
  const s = 2 / norm;
  const [X, Y, Z] = [x * s, y * s, z * s];
  const [wX, wY, wZ] = [w * X, w * Y, w * Z];
  const [xX, xY, xZ] = [x * X, x * Y, x * Z];
  const [yY, yZ, zZ] = [y * Y, y * Z, z * Z];
  return [
    [1 - (yY + zZ), xY - wZ, xZ + wY],
    [xY + wZ, 1 - (xX + zZ), yZ - wX],
    [xZ - wY, yZ + wX, 1 - (xX + yY)],
  ];
}

/**
 * The qform affine from quatern_b/c/d, qoffset and pixdim (qfac = pixdim[0], -1 flips k), as
 * nibabel's `get_qform`: a = sqrt(1 - b^2 - c^2 - d^2), clamped at 0.
 */
export function qformAffine(header: NiftiHeader): Affine {
  const { quatern_b: b, quatern_c: c, quatern_d: d } = header;
  const w2 = 1 - (b * b + c * c + d * d);
  const a = w2 > 0 ? Math.sqrt(w2) : 0;
  const rotation = quaternionToMatrix(a, b, c, d);
  const qfac = (header.pixdim[0] as number) < 0 ? -1 : 1;
  const zooms = [Math.abs(header.pixdim[1] ?? 1), Math.abs(header.pixdim[2] ?? 1), Math.abs(header.pixdim[3] ?? 1) * qfac];
  const offset = [header.qoffset_x, header.qoffset_y, header.qoffset_z];
  return [
    ...rotation.map((row, r) => [...row.map((value, col) => value * (zooms[col] as number)), offset[r] as number]),
    [0, 0, 0, 1],
  ];
}

/** The sform affine (srow_x, srow_y, srow_z). */
export function sformAffine(header: NiftiHeader): Affine {
  return [[...header.srow_x], [...header.srow_y], [...header.srow_z], [0, 0, 0, 1]];
}

/**
 * nibabel's fallback when neither qform nor sform is set: voxel sizes from pixdim[1..3], the
 * x axis flipped, and the volume's centre at the origin.
 */
export function fallbackAffine(header: NiftiHeader): Affine {
  const shape = [0, 1, 2].map((i) => header.shape[i] ?? 1);
  const zooms = [0, 1, 2].map((i) => (i < header.shape.length ? (header.pixdim[i + 1] as number) : 1));
  const diagonal = [-(zooms[0] as number), zooms[1] as number, zooms[2] as number];
  const affine: Affine = [0, 1, 2].map((r) => [0, 1, 2, 3].map((col) => (col === r ? (diagonal[r] as number) : 0)));
  for (let r = 0; r < 3; r++) (affine[r] as number[])[3] = -(diagonal[r] as number) * (((shape[r] as number) - 1) / 2);
  affine.push([0, 0, 0, 1]);
  return affine;
}

/**
 * The affine nibabel's `img.affine` gives: sform if sform_code > 0, else qform if
 * qform_code > 0, else the fallback.
 *
 * @example
 *   const [x, y, z] = applyAffine(niftiAffine(header), [i, j, k]);
 */
export function niftiAffine(header: NiftiHeader): Affine {
  if (header.sform_code > 0) return sformAffine(header);
  if (header.qform_code > 0) return qformAffine(header);
  return fallbackAffine(header);
}

/** World coordinates of voxel (i, j, k). */
export function applyAffine(affine: Affine, voxel: [number, number, number]): [number, number, number] {
  const [i, j, k] = voxel;
  const row = (r: number): number => {
    const m = affine[r] as number[];
    return (m[0] as number) * i + (m[1] as number) * j + (m[2] as number) * k + (m[3] as number);
  };
  return [row(0), row(1), row(2)];
}

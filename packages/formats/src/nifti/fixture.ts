/**
 * Builds small synthetic NIfTI-1 files for tests (known geometry and values, either byte
 * order). Not a general writer: only int16 and float32 voxels, no extensions.
 *
 * @example
 *   const bytes = buildNifti1({ shape: [2, 2, 2, 3], values: Float32Array.from({ length: 24 }, (_, i) => i) });
 */
export interface Nifti1Fixture {
  shape: number[];
  values: ArrayLike<number>;
  /** 4 = int16, 16 = float32 (default 16). */
  datatype?: 4 | 16;
  littleEndian?: boolean;
  pixdim?: number[];
  /** xyzt_units (default 2 + 8: mm and seconds). */
  units?: number;
  slope?: number;
  intercept?: number;
  qform?: { code: number; b: number; c: number; d: number; offset: [number, number, number] };
  sform?: { code: number; rows: [number[], number[], number[]] };
  magic?: string;
}

export function buildNifti1(fixture: Nifti1Fixture): Uint8Array {
  const datatype = fixture.datatype ?? 16;
  const bytesPer = datatype === 4 ? 2 : 4;
  const voxOffset = 352;
  const out = new Uint8Array(voxOffset + fixture.values.length * bytesPer);
  const view = new DataView(out.buffer);
  const le = fixture.littleEndian ?? true;
  view.setInt32(0, 348, le);
  view.setInt16(40, fixture.shape.length, le);
  fixture.shape.forEach((size, i) => view.setInt16(42 + 2 * i, size, le));
  for (let i = fixture.shape.length + 1; i < 8; i++) view.setInt16(40 + 2 * i, 1, le);
  view.setInt16(70, datatype, le);
  view.setInt16(72, bytesPer * 8, le);
  const pixdim = fixture.pixdim ?? [1, 1, 1, 1, 1, 1, 1, 1];
  pixdim.forEach((p, i) => view.setFloat32(76 + 4 * i, p, le));
  view.setFloat32(108, voxOffset, le);
  view.setFloat32(112, fixture.slope ?? 1, le);
  view.setFloat32(116, fixture.intercept ?? 0, le);
  view.setUint8(123, fixture.units ?? 10);
  if (fixture.qform) {
    view.setInt16(252, fixture.qform.code, le);
    [fixture.qform.b, fixture.qform.c, fixture.qform.d, ...fixture.qform.offset].forEach((v, i) => view.setFloat32(256 + 4 * i, v, le));
  }
  if (fixture.sform) {
    view.setInt16(254, fixture.sform.code, le);
    fixture.sform.rows.forEach((row, r) => row.forEach((v, c) => view.setFloat32(280 + 16 * r + 4 * c, v, le)));
  }
  new TextEncoder().encodeInto((fixture.magic ?? 'n+1') + '\0', out.subarray(344, 348));
  for (let i = 0; i < fixture.values.length; i++) {
    const p = voxOffset + i * bytesPer;
    if (datatype === 4) view.setInt16(p, fixture.values[i] as number, le);
    else view.setFloat32(p, fixture.values[i] as number, le);
  }
  return out;
}

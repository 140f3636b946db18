import { CajalError } from '@cajal/core';
import type { RecordingInfo, SubjectInfo } from '@cajal/core';
import { monthAbbreviation } from './fields.ts';

/**
 * What the EDF+/BDF+ writers need to know before the first record: the signals with their
 * ranges and samples per record, the record duration, and the fixed header text. Shared by
 * the in-memory writer (`writeEdf`) and the streaming file writer (`node.ts`).
 */
export interface EdfWriteSignal {
  label: string;
  unit: string;
  samplesPerRecord: number;
  physicalMin: number;
  physicalMax: number;
  digitalMin: number;
  digitalMax: number;
  prefiltering?: string;
  transducer?: string;
}

export interface EdfWriteSpec {
  format: 'edf' | 'bdf';
  /** Seconds per data record (0 only for annotation-only files). */
  recordSeconds: number;
  signals: EdfWriteSignal[];
  /** Bytes reserved per record for the annotation signal (time keeping + annotations). */
  annotationBytesPerRecord: number;
  startTime: Date | null;
  subject?: SubjectInfo;
  recordingInfo?: RecordingInfo;
  /** Write EDF+D/BDF+D (records need not abut). */
  discontinuous: boolean;
}

/** Digital limits of each format. */
export const digitalLimits = { edf: [-32768, 32767], bdf: [-8388608, 8388607] } as const;

/** Length of the longest label EDF allows. */
export const maximumLabelLength = 16;

/** Check a spec and throw WRITE_INVALID naming the problem. */
export function checkSpec(spec: EdfWriteSpec): void {
  const [low, high] = digitalLimits[spec.format];
  spec.signals.forEach((signal, i) => {
    if (signal.label.length > maximumLabelLength) {
      throw new CajalError('WRITE_INVALID', `channel label "${signal.label}" has ${signal.label.length} characters; EDF allows at most ${maximumLabelLength}. Rename the channel before writing`, { field: `label[${i}]`, label: signal.label });
    }
    if (!isPrintableAscii(signal.label)) {
      throw new CajalError('WRITE_INVALID', `channel label "${signal.label}" has characters outside printable ASCII, which EDF does not allow`, { field: `label[${i}]`, label: signal.label });
    }
    if (signal.digitalMin < low || signal.digitalMax > high || signal.digitalMin >= signal.digitalMax) {
      throw new CajalError('WRITE_INVALID', `channel "${signal.label}": digital range ${signal.digitalMin}..${signal.digitalMax} is not within ${low}..${high}`, { field: `digital_minimum[${i}]` });
    }
    if (!(signal.physicalMax !== signal.physicalMin) || !Number.isFinite(signal.physicalMin) || !Number.isFinite(signal.physicalMax)) {
      throw new CajalError('WRITE_INVALID', `channel "${signal.label}": physical range ${signal.physicalMin}..${signal.physicalMax} is empty or not finite`, { field: `physical_minimum[${i}]` });
    }
    if (!Number.isInteger(signal.samplesPerRecord) || signal.samplesPerRecord < 1) {
      throw new CajalError('WRITE_INVALID', `channel "${signal.label}": ${signal.samplesPerRecord} samples per record is not a positive integer`, { field: `samples_per_record[${i}]` });
    }
  });
}

/** Bytes of one data record. */
export function recordBytesOf(spec: EdfWriteSpec): number {
  const bytesPerSample = spec.format === 'bdf' ? 3 : 2;
  return spec.signals.reduce((sum, s) => sum + s.samplesPerRecord * bytesPerSample, 0) + spec.annotationBytesPerRecord;
}

function isPrintableAscii(text: string): boolean {
  return /^[\x20-\x7e]*$/.test(text);
}

/** Make free text header-safe: printable ASCII, spaces as underscores where EDF+ needs it. */
function asciiWord(text: string | undefined): string {
  if (!text) return 'X';
  const clean = text.normalize('NFKD').replace(/[^\x21-\x7e ]/g, '').trim().replace(/\s+/g, '_');
  return clean === '' ? 'X' : clean;
}

/** Map units EDF cannot hold in ASCII to their usual spellings. */
export function asciiUnit(unit: string): string {
  return unit.replace(/[µμ]/g, 'u').replace(/°/g, 'deg').replace(/Ω/g, 'Ohm').replace(/[^\x20-\x7e]/g, '');
}

function edfDate(date: Date): string {
  return `${String(date.getUTCDate()).padStart(2, '0')}-${monthAbbreviation(date.getUTCMonth() + 1)}-${date.getUTCFullYear()}`;
}

/**
 * Format a number into at most `width` characters, rounding toward `direction` ("down" for
 * minima, "up" for maxima, "nearest" otherwise). Throws WRITE_INVALID when impossible.
 */
export function formatNumberField(value: number, width: number, direction: 'down' | 'up' | 'nearest', field: string): string {
  if (Number.isInteger(value) && String(value).length <= width) return String(value);
  const plain = String(value);
  if (!/e/i.test(plain) && plain.length <= width) return plain;
  for (let decimals = width; decimals >= 0; decimals--) {
    const scale = 10 ** decimals;
    const scaled = value * scale;
    const rounded = direction === 'down' ? Math.floor(scaled) : direction === 'up' ? Math.ceil(scaled) : Math.round(scaled);
    let text = (rounded / scale).toFixed(decimals);
    if (text.includes('.')) text = text.replace(/\.?0+$/, '');
    if (text === '-0') text = '0';
    if (text.length <= width) return text;
  }
  throw new CajalError('WRITE_INVALID', `${field} ${value} does not fit in ${width} characters; change the unit`, { field, value });
}

/** Encode the header (256 + 256 x signals bytes) for `recordCount` records (-1 while unknown). */
export function encodeHeader(spec: EdfWriteSpec, recordCount: number): Uint8Array {
  const withAnnotations = [...spec.signals.map((s) => ({ ...s, annotation: false })), annotationSignal(spec)];
  const ns = withAnnotations.length;
  const bytes = new Uint8Array(256 * (ns + 1)).fill(0x20);
  const put = (offset: number, width: number, text: string): void => {
    for (let i = 0; i < width && i < text.length; i++) bytes[offset + i] = text.charCodeAt(i) & 0x7f;
  };
  if (spec.format === 'bdf') {
    bytes[0] = 0xff;
    put(1, 7, 'BIOSEMI');
  } else {
    put(0, 8, '0');
  }
  const subject = spec.subject ?? {};
  const sex = subject.sex === 'female' ? 'F' : subject.sex === 'male' ? 'M' : 'X';
  const birth = subject.birthDate && /^\d{4}-\d{2}-\d{2}/.test(subject.birthDate) ? edfDate(new Date(`${subject.birthDate.slice(0, 10)}T00:00:00Z`)) : 'X';
  put(8, 80, `${asciiWord(subject.id)} ${sex} ${birth} ${asciiWord(subject.name)}`);
  const info = spec.recordingInfo ?? {};
  const start = spec.startTime;
  put(88, 80, `Startdate ${start ? edfDate(start) : 'X'} ${asciiWord(info.id)} ${asciiWord(info.technician)} ${asciiWord(info.equipment)}`);
  const when = start ?? new Date(Date.UTC(1985, 0, 1));
  const year = when.getUTCFullYear();
  const two = (n: number): string => String(n).padStart(2, '0');
  put(168, 8, `${two(when.getUTCDate())}.${two(when.getUTCMonth() + 1)}.${year >= 1985 && year <= 2084 ? two(year % 100) : 'yy'}`);
  put(176, 8, `${two(when.getUTCHours())}.${two(when.getUTCMinutes())}.${two(when.getUTCSeconds())}`);
  put(184, 8, String(bytes.length));
  put(192, 44, `${spec.format === 'bdf' ? 'BDF' : 'EDF'}+${spec.discontinuous ? 'D' : 'C'}`);
  put(236, 8, String(recordCount));
  put(244, 8, formatNumberField(spec.recordSeconds, 8, 'nearest', 'duration_of_data_record'));
  put(252, 4, String(ns));
  const at = (start: number, width: number, i: number): number => 256 + start * ns + width * i;
  withAnnotations.forEach((signal, i) => {
    put(at(0, 16, i), 16, signal.label);
    put(at(16, 80, i), 80, (signal.transducer ?? '').replace(/[^\x20-\x7e]/g, ''));
    put(at(96, 8, i), 8, asciiUnit(signal.unit));
    put(at(104, 8, i), 8, formatNumberField(signal.physicalMin, 8, 'down', `physical_minimum[${i}]`));
    put(at(112, 8, i), 8, formatNumberField(signal.physicalMax, 8, 'up', `physical_maximum[${i}]`));
    put(at(120, 8, i), 8, String(signal.digitalMin));
    put(at(128, 8, i), 8, String(signal.digitalMax));
    put(at(136, 80, i), 80, (signal.prefiltering ?? '').replace(/[^\x20-\x7e]/g, ''));
    put(at(216, 8, i), 8, String(signal.samplesPerRecord));
  });
  return bytes;
}

function annotationSignal(spec: EdfWriteSpec): EdfWriteSignal & { annotation: boolean } {
  const bytesPerSample = spec.format === 'bdf' ? 3 : 2;
  const [low, high] = digitalLimits[spec.format];
  return {
    label: spec.format === 'bdf' ? 'BDF Annotations' : 'EDF Annotations',
    unit: '',
    samplesPerRecord: spec.annotationBytesPerRecord / bytesPerSample,
    physicalMin: -1,
    physicalMax: 1,
    digitalMin: low,
    digitalMax: high,
    annotation: true,
  };
}

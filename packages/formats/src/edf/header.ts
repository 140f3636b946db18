import { CajalError } from '@cajal/core';
import type { ChannelType, RecordingInfo, SubjectInfo } from '@cajal/core';
import { WarningSink, monthNumber, readInteger, readNumber, readText, yearFromTwoDigits } from './fields.ts';

/** One signal of an EDF/BDF file as its header states it. */
export interface EdfSignal {
  index: number;
  label: string;
  transducer: string;
  unit: string;
  physicalMin: number;
  physicalMax: number;
  digitalMin: number;
  digitalMax: number;
  prefiltering: string;
  samplesPerRecord: number;
  /** True for "EDF Annotations" / "BDF Annotations" signals (TAL bytes, not samples). */
  isAnnotation: boolean;
  /** physical = digital * gain + offset. */
  gain: number;
  offset: number;
  /** Byte offset of this signal inside a data record. */
  offsetInRecord: number;
  /** Byte offset of this signal's header label field (for messages). */
  labelByteOffset: number;
}

/** The parsed, checked header of an EDF/EDF+/BDF/BDF+ file. */
export interface EdfHeader {
  /** "edf" | "edf+c" | "edf+d" | "bdf" | "bdf+c" | "bdf+d". */
  variant: string;
  isBdf: boolean;
  isPlus: boolean;
  isDiscontinuous: boolean;
  bytesPerSample: 2 | 3;
  headerBytes: number;
  /** Records actually present in the file (after checking the size). */
  recordCount: number;
  recordSeconds: number;
  recordBytes: number;
  startTime: Date | null;
  subject: SubjectInfo;
  recordingInfo: RecordingInfo;
  signals: EdfSignal[];
}

/** Smallest possible header: the fixed part. */
export const fixedHeaderBytes = 256;

/** Byte offsets of the fixed header fields. */
const field = {
  version: 0,
  patient: 8,
  recording: 88,
  startDate: 168,
  startTime: 176,
  headerBytes: 184,
  reserved: 192,
  recordCount: 236,
  recordSeconds: 244,
  signalCount: 252,
} as const;

/** Number of signals declared at byte 252 (to know how much header to read). */
export function readSignalCount(fixed: Uint8Array, sink: WarningSink): number {
  const count = readInteger(fixed, field.signalCount, 4, 'number_of_signals', sink);
  if (count < 1) {
    throw new CajalError('FORMAT_INVALID_FIELD', `number_of_signals is ${count}; at least 1 is needed`, {
      file: sink.file,
      field: 'number_of_signals',
      byteOffset: field.signalCount,
    });
  }
  return count;
}

/**
 * Parse the full header (256 + 256 x ns bytes) of a file of `fileSize` bytes. Lenient where
 * the data can still be read safely (warnings in `sink`), CajalError otherwise.
 */
export function parseEdfHeader(bytes: Uint8Array, fileSize: number, sink: WarningSink): EdfHeader {
  const ns = readSignalCount(bytes, sink);
  const expectedHeaderBytes = fixedHeaderBytes * (ns + 1);
  if (bytes.byteLength < expectedHeaderBytes) {
    throw new CajalError('FORMAT_TRUNCATED', `header of ${ns} signals needs ${expectedHeaderBytes} bytes, file has ${fileSize}`, {
      file: sink.file,
      field: 'number_of_signals',
      byteOffset: field.signalCount,
    });
  }
  const isBdf = bytes[0] === 0xff;
  if (isBdf) {
    const magic = readText(bytes, 1, 7, 'version', sink);
    if (magic !== 'BIOSEMI') sink.warn('BAD_VERSION', `BDF version field should be 0xFF "BIOSEMI", found "${magic}"`, 'version', 0);
  } else {
    const version = readText(bytes, 0, 8, 'version', sink);
    if (version !== '0') sink.warn('BAD_VERSION', `EDF version field should be "0", found "${version}"`, 'version', 0);
  }
  const patient = readText(bytes, field.patient, 80, 'patient_identification', sink);
  const recording = readText(bytes, field.recording, 80, 'recording_identification', sink);
  const reserved = readText(bytes, field.reserved, 44, 'reserved', sink);
  const isPlus = /^(EDF|BDF)\+[CD]/.test(reserved);
  const isDiscontinuous = /^(EDF|BDF)\+D/.test(reserved);
  const headerBytesField = readInteger(bytes, field.headerBytes, 8, 'header_bytes', sink);
  if (headerBytesField !== expectedHeaderBytes) {
    sink.warn('HEADER_BYTES_MISMATCH', `header_bytes says ${headerBytesField}, but ${ns} signals make ${expectedHeaderBytes}; using ${expectedHeaderBytes}`, 'header_bytes', field.headerBytes);
  }
  const claimedRecords = readInteger(bytes, field.recordCount, 8, 'number_of_data_records', sink);
  const recordSeconds = readNumber(bytes, field.recordSeconds, 8, 'duration_of_data_record', sink);
  if (recordSeconds < 0) {
    throw new CajalError('FORMAT_INVALID_FIELD', `duration_of_data_record is ${recordSeconds} s`, {
      file: sink.file,
      field: 'duration_of_data_record',
      byteOffset: field.recordSeconds,
    });
  }

  const signals = parseSignals(bytes, ns, isBdf, sink);
  const bytesPerSample = isBdf ? 3 : 2;
  const samplesPerRecord = signals.reduce((sum, s) => sum + s.samplesPerRecord, 0);
  const recordBytes = samplesPerRecord * bytesPerSample;
  const dataBytes = Math.max(0, fileSize - expectedHeaderBytes);
  if (recordBytes === 0) {
    throw new CajalError('FORMAT_INVALID_FIELD', 'every signal has 0 samples per data record', {
      file: sink.file,
      field: 'samples_per_record',
      byteOffset: fixedHeaderBytes + 216 * ns,
    });
  }
  const recordsInFile = Math.floor(dataBytes / recordBytes);
  let recordCount = claimedRecords;
  if (claimedRecords === -1) {
    sink.warn('RECORD_COUNT_UNKNOWN', `number_of_data_records is -1; the file holds ${recordsInFile} records`, 'number_of_data_records', field.recordCount);
    recordCount = recordsInFile;
  } else if (claimedRecords < -1) {
    throw new CajalError('FORMAT_INVALID_FIELD', `number_of_data_records is ${claimedRecords}`, {
      file: sink.file,
      field: 'number_of_data_records',
      byteOffset: field.recordCount,
    });
  } else if (claimedRecords > recordsInFile) {
    if (recordsInFile === 0) {
      const tooLarge = recordBytes > dataBytes && recordBytes > 64 * 1024 * 1024;
      throw new CajalError(
        tooLarge ? 'FORMAT_TOO_LARGE' : 'FORMAT_TRUNCATED',
        `the header claims ${claimedRecords} data records of ${recordBytes} bytes, but the file holds ${dataBytes} bytes of data: not one whole record`,
        { file: sink.file, field: 'number_of_data_records', byteOffset: field.recordCount },
      );
    }
    sink.warn('RECORD_COUNT_MISMATCH', `number_of_data_records says ${claimedRecords}, the file holds only ${recordsInFile}; reading ${recordsInFile}`, 'number_of_data_records', field.recordCount);
    recordCount = recordsInFile;
  } else if (claimedRecords < recordsInFile) {
    sink.warn('RECORD_COUNT_MISMATCH', `number_of_data_records says ${claimedRecords}, the file holds ${recordsInFile}; reading ${claimedRecords}`, 'number_of_data_records', field.recordCount);
  }
  const trailing = dataBytes - recordsInFile * recordBytes;
  if (trailing > 0 && claimedRecords >= recordsInFile) {
    sink.warn('TRAILING_BYTES', `${trailing} bytes after the last whole data record are ignored`, 'data_records', expectedHeaderBytes + recordsInFile * recordBytes);
  }
  if (recordSeconds === 0 && signals.some((s) => !s.isAnnotation)) {
    throw new CajalError('FORMAT_INVALID_FIELD', 'duration_of_data_record is 0 but the file has data signals (only annotation-only files may use 0)', {
      file: sink.file,
      field: 'duration_of_data_record',
      byteOffset: field.recordSeconds,
    });
  }

  const startTime = parseStartTime(bytes, recording, isPlus, sink);
  return {
    variant: `${isBdf ? 'bdf' : 'edf'}${isPlus ? (isDiscontinuous ? '+d' : '+c') : ''}`,
    isBdf,
    isPlus,
    isDiscontinuous,
    bytesPerSample,
    headerBytes: expectedHeaderBytes,
    recordCount,
    recordSeconds,
    recordBytes,
    startTime,
    subject: parseSubject(patient, isPlus),
    recordingInfo: parseRecordingInfo(recording, isPlus),
    signals,
  };
}

function parseSignals(bytes: Uint8Array, ns: number, isBdf: boolean, sink: WarningSink): EdfSignal[] {
  const base = fixedHeaderBytes;
  const at = (start: number, width: number, i: number): number => base + start * ns + width * i;
  const signals: EdfSignal[] = [];
  let offsetInRecord = 0;
  const bytesPerSample = isBdf ? 3 : 2;
  for (let i = 0; i < ns; i++) {
    const label = readText(bytes, at(0, 16, i), 16, `label[${i}]`, sink);
    const isAnnotation = label === 'EDF Annotations' || label === 'BDF Annotations';
    const transducer = readText(bytes, at(16, 80, i), 80, `transducer[${i}]`, sink);
    const unit = readText(bytes, at(96, 8, i), 8, `physical_dimension[${i}]`, sink);
    const physicalMin = readNumber(bytes, at(104, 8, i), 8, `physical_minimum[${i}]`, sink);
    const physicalMax = readNumber(bytes, at(112, 8, i), 8, `physical_maximum[${i}]`, sink);
    const digitalMin = readInteger(bytes, at(120, 8, i), 8, `digital_minimum[${i}]`, sink);
    const digitalMax = readInteger(bytes, at(128, 8, i), 8, `digital_maximum[${i}]`, sink);
    const prefiltering = readText(bytes, at(136, 80, i), 80, `prefiltering[${i}]`, sink);
    const samplesPerRecord = readInteger(bytes, at(216, 8, i), 8, `samples_per_record[${i}]`, sink);
    if (samplesPerRecord < 0) {
      throw new CajalError('FORMAT_INVALID_FIELD', `samples_per_record[${i}] is ${samplesPerRecord}`, {
        file: sink.file,
        field: `samples_per_record[${i}]`,
        byteOffset: at(216, 8, i),
      });
    }
    if (samplesPerRecord === 0 && !isAnnotation) {
      sink.warn('EMPTY_SIGNAL', `signal "${label}" has 0 samples per record; it is skipped`, `samples_per_record[${i}]`, at(216, 8, i));
    }
    const limit = isBdf ? 8388608 : 32768;
    if (!isAnnotation && (digitalMin < -limit || digitalMax > limit - 1)) {
      sink.warn('DIGITAL_RANGE_OUT_OF_FORMAT', `digital range ${digitalMin}..${digitalMax} exceeds the ${isBdf ? 24 : 16}-bit range`, `digital_minimum[${i}]`, at(120, 8, i));
    }
    let gain: number;
    let offset: number;
    if (isAnnotation) {
      gain = 1;
      offset = 0;
    } else if (digitalMax === digitalMin) {
      sink.warn('ZERO_DIGITAL_RANGE', `signal "${label}" has digital minimum = maximum = ${digitalMin}; samples are given as digital values`, `digital_maximum[${i}]`, at(128, 8, i));
      gain = 1;
      offset = 0;
    } else {
      if (physicalMax === physicalMin) {
        sink.warn('ZERO_PHYSICAL_RANGE', `signal "${label}" has physical minimum = maximum = ${physicalMin}; every sample equals it`, `physical_maximum[${i}]`, at(112, 8, i));
      }
      gain = (physicalMax - physicalMin) / (digitalMax - digitalMin);
      offset = physicalMin - digitalMin * gain;
    }
    signals.push({
      index: i,
      label,
      transducer,
      unit,
      physicalMin,
      physicalMax,
      digitalMin,
      digitalMax,
      prefiltering,
      samplesPerRecord,
      isAnnotation,
      gain,
      offset,
      offsetInRecord,
      labelByteOffset: at(0, 16, i),
    });
    offsetInRecord += samplesPerRecord * bytesPerSample;
  }
  return signals;
}

function parseStartTime(bytes: Uint8Array, recording: string, isPlus: boolean, sink: WarningSink): Date | null {
  const dateText = readText(bytes, field.startDate, 8, 'startdate', sink);
  const timeText = readText(bytes, field.startTime, 8, 'starttime', sink);
  const date = /^(\d{1,2})[.:\-/ ](\d{1,2})[.:\-/ ](\d{2}|yy)$/i.exec(dateText);
  const time = /^(\d{1,2})[.:\-/ ](\d{1,2})[.:\-/ ](\d{1,2})$/.exec(timeText);
  if (!date || !time) {
    sink.warn('INVALID_START', `start date/time "${dateText} ${timeText}" is not dd.mm.yy hh.mm.ss; start time unknown`, date ? 'starttime' : 'startdate', date ? field.startTime : field.startDate);
    return null;
  }
  if (!/^\d\d\.\d\d\.(\d\d|yy)$/i.test(dateText) || !/^\d\d\.\d\d\.\d\d$/.test(timeText)) {
    sink.warn('START_FORMAT', `start date/time "${dateText} ${timeText}" should be dd.mm.yy and hh.mm.ss`, 'startdate', field.startDate);
  }
  const day = Number(date[1]);
  const month = Number(date[2]);
  let year: number | undefined = /^\d\d$/.test(date[3] as string) ? yearFromTwoDigits(Number(date[3])) : undefined;
  // EDF+ puts a four-digit year in the recording field ("Startdate 02-MAR-2002 ..."); it wins
  // when the two-digit field cannot say (e.g. "yy" after 2084) and must agree otherwise.
  const plusDate = /^Startdate\s+(\d{2})-([A-Za-z]{3})-(\d{4})/.exec(recording);
  if (plusDate) {
    const plusYear = Number(plusDate[3]);
    if (year === undefined) year = plusYear;
    else if (plusYear % 100 === year % 100 && plusYear !== year) year = plusYear;
    else if (plusYear !== year) sink.warn('START_DATE_DISAGREES', `recording field says year ${plusYear}, startdate says ${year}`, 'recording_identification', field.recording);
  } else if (isPlus && !/^Startdate\s+X/.test(recording)) {
    sink.warn('EDF_PLUS_RECORDING_FIELD', 'EDF+ recording field should start with "Startdate dd-MMM-yyyy"', 'recording_identification', field.recording);
  }
  if (year === undefined) {
    sink.warn('INVALID_START', `start year "${date[3]}" cannot be resolved; start time unknown`, 'startdate', field.startDate);
    return null;
  }
  const hours = Number(time[1]);
  const minutes = Number(time[2]);
  const seconds = Number(time[3]);
  const value = new Date(Date.UTC(year, month - 1, day, hours, minutes, seconds));
  if (month < 1 || month > 12 || day < 1 || day > 31 || hours > 23 || minutes > 59 || seconds > 59 || value.getUTCDate() !== day) {
    sink.warn('INVALID_START', `start "${dateText} ${timeText}" is not a valid date and time; start time unknown`, 'startdate', field.startDate);
    return null;
  }
  return value;
}

function parseSubject(patient: string, isPlus: boolean): SubjectInfo {
  const subject: SubjectInfo = { raw: patient };
  const parts = patient.split(/\s+/);
  if (!isPlus || parts.length < 4) return subject;
  const [code, sex, birth, name] = parts as [string, string, string, string];
  if (code !== 'X') subject.id = code;
  if (sex === 'F') subject.sex = 'female';
  else if (sex === 'M') subject.sex = 'male';
  const birthMatch = /^(\d{2})-([A-Za-z]{3})-(\d{4})$/.exec(birth);
  if (birthMatch && monthNumber(birthMatch[2] as string) > 0) {
    subject.birthDate = `${birthMatch[3]}-${String(monthNumber(birthMatch[2] as string)).padStart(2, '0')}-${birthMatch[1]}`;
  }
  if (name !== 'X') subject.name = name.replace(/_/g, ' ');
  return subject;
}

function parseRecordingInfo(recording: string, isPlus: boolean): RecordingInfo {
  const info: RecordingInfo = { raw: recording };
  const parts = recording.split(/\s+/);
  if (!isPlus || parts[0] !== 'Startdate' || parts.length < 5) return info;
  const [, , admin, technician, equipment] = parts as [string, string, string, string, string];
  if (admin !== 'X') info.id = admin;
  if (technician !== 'X') info.technician = technician.replace(/_/g, ' ');
  if (equipment !== 'X') info.equipment = equipment.replace(/_/g, ' ');
  return info;
}

/** Guess a channel type from its label and unit. */
export function channelTypeOf(label: string, unit: string, isBdf: boolean): ChannelType {
  const upper = label.toUpperCase();
  if (isBdf && upper === 'STATUS') return 'status';
  if (/^(STATUS|TRIGGER|STI\s*\d*|STIM)/.test(upper)) return 'stim';
  if (/\b(ECG|EKG)\b/.test(upper)) return 'ecg';
  if (/\bEMG\b/.test(upper)) return 'emg';
  if (/\bEOG\b/.test(upper)) return 'eog';
  if (/\b(RESP|THOR|ABDO|AIRFLOW)/.test(upper)) return 'resp';
  if (/^(UV|µV|MV|V|NV)$/i.test(unit) || /\bEEG\b/.test(upper)) return 'eeg';
  return 'misc';
}

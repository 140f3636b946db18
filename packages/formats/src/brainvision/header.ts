import { CajalError, isVoltageUnit, normalizeUnit } from '@cajal/core';
import type { ChannelInfo, ComplianceWarning } from '@cajal/core';
import { findEntry, parseIni, unescapeField } from './text.ts';
import type { IniEntry, IniFile } from './text.ts';
import { parseFilterTables } from './comment.ts';

/** Binary sample types BrainVision writes (`[Binary Infos] BinaryFormat`). */
export type BrainVisionBinaryFormat = 'INT_16' | 'UINT_16' | 'INT_32' | 'IEEE_FLOAT_32' | 'IEEE_FLOAT_64';

/** Bytes per sample of each binary format. */
export const bytesPerSample: Record<BrainVisionBinaryFormat, number> = {
  INT_16: 2,
  UINT_16: 2,
  INT_32: 4,
  IEEE_FLOAT_32: 4,
  IEEE_FLOAT_64: 8,
};

/** A channel as the header describes it; `resolution` converts stored values to `unit`. */
export interface BrainVisionChannelInfo extends ChannelInfo {
  /** Reference channel name from `[Channel Infos]` ("" when not given). */
  reference: string;
  /** Physical value of one stored unit, in `unit` (1 when the field is empty). */
  resolution: number;
}

/**
 * Everything `.vhdr`/`.ahdr` says that reading needs. Sample counts are not known until the
 * data file's size is (see `BrainVisionLayout`).
 */
export interface BrainVisionHeader {
  /** 1 or 2 (Data Exchange header version); 1 for V-Amp files. */
  version: number;
  /** True for the V-Amp `.ahdr` variant (an extra 32-bit marker column in the binary). */
  vAmp: boolean;
  dataFile: string;
  /** Undefined when the header names no marker file. */
  markerFile: string | undefined;
  /** Line numbers of the DataFile and MarkerFile entries, for messages. */
  lines: { dataFile: number; markerFile: number | undefined };
  orientation: 'MULTIPLEXED' | 'VECTORIZED';
  binaryFormat: BrainVisionBinaryFormat;
  bigEndian: boolean;
  sampleRateHz: number;
  /** `DataPoints` (version 2 headers), when given. */
  declaredDataPoints: number | undefined;
  channels: BrainVisionChannelInfo[];
  encoding: string;
  warnings: ComplianceWarning[];
}

const versionLines: Record<string, { version: number; vAmp: boolean }> = {
  'brain vision data exchange header file version 1.0': { version: 1, vAmp: false },
  'brainvision data exchange header file version 1.0': { version: 1, vAmp: false },
  'brain vision data exchange header file version 2.0': { version: 2, vAmp: false },
  'brainvision data exchange header file version 2.0': { version: 2, vAmp: false },
  'brain vision v-amp data header file version 1.0': { version: 1, vAmp: true },
  'brainvision v-amp data header file version 1.0': { version: 1, vAmp: true },
};

/** True when `firstLine` is one of the header identification lines Cajal reads. */
export function isBrainVisionHeaderLine(firstLine: string): boolean {
  return versionLines[firstLine.replace(/^\ufeff/, '').trim().toLowerCase()] !== undefined;
}

/**
 * Parse a BrainVision header (`.vhdr`, or V-Amp `.ahdr`). Errors name the section, key and
 * line; tolerable problems become warnings.
 *
 * @example
 *   const header = parseBrainVisionHeader(bytes, 'test.vhdr');
 *   header.channels[0].label; // "FP1"
 */
export function parseBrainVisionHeader(bytes: Uint8Array, file: string): BrainVisionHeader {
  const ini = parseIni(bytes);
  const warnings: ComplianceWarning[] = [];
  const kind = versionLines[ini.firstLine.toLowerCase()];
  if (!kind) {
    throw new CajalError('FORMAT_INVALID_FIELD', `line 1 is "${ini.firstLine.slice(0, 80)}", not a BrainVision header identification line`, {
      file,
      field: 'identification',
      line: 1,
    });
  }
  if (ini.fellBackToLatin1) {
    warnings.push({ code: 'BV_ENCODING', message: 'header says UTF-8 but is not valid UTF-8; decoded as Latin-1', field: 'Codepage', file });
  }
  const common = 'Common Infos';
  const dataFileEntry = requireEntry(ini, common, 'DataFile', file);
  const dataFile = dataFileEntry.value;
  if (dataFile === '') throw invalid(file, dataFileEntry, 'DataFile', 'a file name');
  const markerFileEntry = findEntry(ini, common, 'MarkerFile');
  const markerFile = markerFileEntry?.value || undefined;
  if (!markerFile) warnings.push({ code: 'BV_NO_MARKER_FILE', message: 'no MarkerFile entry: the recording has no markers', field: 'MarkerFile', file });

  const dataFormat = findEntry(ini, common, 'DataFormat');
  if (dataFormat && dataFormat.value.toUpperCase() !== 'BINARY') {
    throw new CajalError('FORMAT_UNSUPPORTED', `DataFormat=${dataFormat.value} on line ${dataFormat.line}: only BINARY data files are supported`, {
      file,
      field: 'DataFormat',
      line: dataFormat.line,
    });
  }
  const orientationEntry = findEntry(ini, common, 'DataOrientation');
  const orientation = (orientationEntry?.value ?? 'MULTIPLEXED').toUpperCase();
  if (orientation !== 'MULTIPLEXED' && orientation !== 'VECTORIZED') {
    throw invalid(file, orientationEntry as IniEntry, 'DataOrientation', 'MULTIPLEXED or VECTORIZED');
  }
  if (!orientationEntry) warnings.push({ code: 'BV_DEFAULT_ORIENTATION', message: 'no DataOrientation entry: assuming MULTIPLEXED', field: 'DataOrientation', file });
  const dataType = findEntry(ini, common, 'DataType');
  if (dataType && dataType.value.toUpperCase() !== 'TIMEDOMAIN') {
    throw new CajalError('FORMAT_UNSUPPORTED', `DataType=${dataType.value} on line ${dataType.line}: only TIMEDOMAIN data is supported`, {
      file,
      field: 'DataType',
      line: dataType.line,
    });
  }

  const channelCountEntry = requireEntry(ini, common, 'NumberOfChannels', file);
  const channelCount = parseNumber(channelCountEntry, file, 'NumberOfChannels', (n) => Number.isInteger(n) && n >= 1 && n <= 65536, 'an integer from 1 to 65536');
  const intervalEntry = requireEntry(ini, common, 'SamplingInterval', file);
  const intervalMicroseconds = parseNumber(intervalEntry, file, 'SamplingInterval', (n) => n > 0 && Number.isFinite(n), 'a positive number of microseconds');
  const sampleRateHz = 1e6 / intervalMicroseconds;
  const dataPointsEntry = findEntry(ini, common, 'DataPoints');
  const declaredDataPoints = dataPointsEntry
    ? parseNumber(dataPointsEntry, file, 'DataPoints', (n) => Number.isInteger(n) && n >= 0, 'a non-negative integer')
    : undefined;

  const formatEntry = findEntry(ini, 'Binary Infos', 'BinaryFormat');
  const binaryFormat = (formatEntry?.value ?? 'INT_16').toUpperCase();
  if (!(binaryFormat in bytesPerSample)) {
    throw new CajalError('FORMAT_UNSUPPORTED', `BinaryFormat=${formatEntry?.value} on line ${formatEntry?.line}: expected INT_16, UINT_16, INT_32, IEEE_FLOAT_32 or IEEE_FLOAT_64`, {
      file,
      field: 'BinaryFormat',
      line: formatEntry?.line,
    });
  }
  if (!formatEntry) warnings.push({ code: 'BV_DEFAULT_FORMAT', message: 'no BinaryFormat entry: assuming INT_16', field: 'BinaryFormat', file });
  const bigEndian = (findEntry(ini, 'Binary Infos', 'UseBigEndianOrder')?.value ?? 'NO').toUpperCase() === 'YES';

  const channels = parseChannels(ini, channelCount, sampleRateHz, file, channelCountEntry, warnings);
  return {
    version: kind.version,
    vAmp: kind.vAmp,
    dataFile,
    markerFile,
    lines: { dataFile: dataFileEntry.line, markerFile: markerFileEntry?.line },
    orientation,
    binaryFormat: binaryFormat as BrainVisionBinaryFormat,
    bigEndian,
    sampleRateHz,
    declaredDataPoints,
    channels,
    encoding: ini.encoding,
    warnings,
  };
}

function parseChannels(
  ini: IniFile,
  channelCount: number,
  sampleRateHz: number,
  file: string,
  countEntry: IniEntry,
  warnings: ComplianceWarning[],
): BrainVisionChannelInfo[] {
  const entries = ini.sections.get('channel infos') ?? [];
  const byNumber = new Map<number, IniEntry>();
  for (const entry of entries) {
    const match = /^ch(\d+)$/i.exec(entry.key);
    if (match) byNumber.set(Number(match[1]), entry);
  }
  const listed = [...byNumber.keys()].filter((n) => n >= 1 && n <= channelCount).length;
  if (listed !== byNumber.size || byNumber.size !== channelCount) {
    throw new CajalError(
      'FORMAT_INVALID_FIELD',
      `NumberOfChannels=${channelCount} on line ${countEntry.line}, but [Channel Infos] lists ${byNumber.size} channels (${listed} numbered 1..${channelCount})`,
      { file, field: 'NumberOfChannels', line: countEntry.line },
    );
  }
  const filters = ini.comment ? parseFilterTables(ini.comment.text, channelCount) : [];
  const channels: BrainVisionChannelInfo[] = [];
  for (let number = 1; number <= channelCount; number++) {
    const entry = byNumber.get(number) as IniEntry;
    const fields = entry.value.split(',');
    const label = unescapeField(fields[0] ?? '').trim() || `Ch${number}`;
    const reference = unescapeField(fields[1] ?? '').trim();
    const resolutionText = (fields[2] ?? '').trim();
    const resolution = resolutionText === '' ? 1 : Number(resolutionText);
    if (!Number.isFinite(resolution)) {
      throw new CajalError('FORMAT_INVALID_FIELD', `resolution of channel ${number} is "${resolutionText}" on line ${entry.line}, not a number`, {
        file,
        field: `Ch${number}.resolution`,
        line: entry.line,
      });
    }
    if (resolution === 0) {
      warnings.push({ code: 'BV_ZERO_RESOLUTION', message: `Ch${number} (${label}) has resolution 0 on line ${entry.line}: its samples are all 0`, field: `Ch${number}`, file });
    }
    const rawUnit = (fields[3] ?? '').trim();
    const unit = rawUnit === '' ? 'uV' : normalizeUnit(rawUnit);
    const channel: BrainVisionChannelInfo = {
      label,
      unit,
      sampleRateHz,
      sampleCount: 0,
      type: isVoltageUnit(unit) ? 'eeg' : 'misc',
      reference,
      resolution,
    };
    const prefiltering = filters[number - 1];
    if (prefiltering) channel.prefiltering = prefiltering;
    channels.push(channel);
  }
  return channels;
}

function requireEntry(ini: IniFile, section: string, key: string, file: string): IniEntry {
  const entry = findEntry(ini, section, key);
  if (!entry) {
    throw new CajalError('FORMAT_INVALID_FIELD', `the header has no ${key} entry in [${section}]`, { file, field: key });
  }
  return entry;
}

function parseNumber(entry: IniEntry, file: string, field: string, valid: (n: number) => boolean, expected: string): number {
  const value = entry.value.trim() === '' ? Number.NaN : Number(entry.value);
  if (!valid(value)) throw invalid(file, entry, field, expected);
  return value;
}

function invalid(file: string, entry: IniEntry, field: string, expected: string): CajalError {
  return new CajalError('FORMAT_INVALID_FIELD', `${field} is "${entry.value.slice(0, 40)}" on line ${entry.line}; expected ${expected}`, {
    file,
    field,
    line: entry.line,
  });
}

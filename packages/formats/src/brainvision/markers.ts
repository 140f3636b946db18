import type { Annotation, ComplianceWarning } from '@cajal/core';
import { parseIni, unescapeField } from './text.ts';

/** One `Mk<n>=` entry of a `.vmrk`/`.amrk` file, as written (positions are 1-based samples). */
export interface BrainVisionMarker {
  type: string;
  description: string;
  /** 1-based sample position, as in the file. */
  position: number;
  /** Length in samples (0 for an instant). */
  size: number;
  /** 1-based channel number, 0 = all channels. */
  channel: number;
  /** The date field of "New Segment" markers (YYYYMMDDhhmmssuuuuuu), when present. */
  date: string | undefined;
  line: number;
}

/**
 * Parse a marker file. Malformed marker lines are skipped with a warning naming the line.
 *
 * @example
 *   const { markers } = parseBrainVisionMarkers(bytes, 'test.vmrk');
 */
export function parseBrainVisionMarkers(bytes: Uint8Array, file: string): { markers: BrainVisionMarker[]; warnings: ComplianceWarning[] } {
  const ini = parseIni(bytes);
  const warnings: ComplianceWarning[] = [];
  if (!/^brain\s?vision (data exchange|v-amp data) marker file,? version [12]\.0$/i.test(ini.firstLine)) {
    warnings.push({ code: 'BV_MARKER_IDENTIFICATION', message: `line 1 of the marker file is "${ini.firstLine.slice(0, 60)}"`, field: 'identification', file });
  }
  const markers: BrainVisionMarker[] = [];
  for (const entry of ini.sections.get('marker infos') ?? []) {
    if (!/^mk\d+$/i.test(entry.key)) continue;
    const fields = entry.value.split(',');
    const position = Number(fields[2]);
    const sizeText = (fields[3] ?? '').trim();
    const size = /^\d+$/.test(sizeText) ? Number(sizeText) : 0;
    if (fields.length < 3 || !Number.isInteger(position) || (fields[2] ?? '').trim() === '') {
      warnings.push({ code: 'BV_MARKER_INVALID', message: `marker ${entry.key} on line ${entry.line} has position "${fields[2] ?? ''}"; skipped`, field: entry.key, file });
      continue;
    }
    const channelText = (fields[4] ?? '').trim();
    markers.push({
      type: unescapeField(fields[0] ?? '').trim(),
      description: unescapeField(fields[1] ?? ''),
      position,
      size,
      channel: /^\d+$/.test(channelText) ? Number(channelText) : 0,
      date: fields[5]?.trim() || undefined,
      line: entry.line,
    });
  }
  return { markers, warnings };
}

/**
 * The recording's start from the first "New Segment" marker's date (UTC as written, no
 * time-zone conversion); null when absent or all zeros.
 */
export function startTimeFromMarkers(markers: BrainVisionMarker[]): Date | null {
  const first = markers.find((m) => m.type.toLowerCase() === 'new segment');
  const match = first?.date ? /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(\d{6})$/.exec(first.date) : null;
  if (!match || /^0+$/.test(first?.date ?? '')) return null;
  const [, y, mo, d, h, mi, s, us] = match.map(Number) as number[];
  const date = new Date(Date.UTC(y as number, (mo as number) - 1, d, h, mi, s, Math.floor((us as number) / 1000)));
  return Number.isNaN(date.getTime()) ? null : date;
}

/**
 * Markers as annotations: text "Type/Description" (MNE's convention), onset (position - 1) /
 * rate, duration size / rate. Sorted by position; markers before the first sample are moved to
 * 0 and ones running past the end are shortened, markers after the end are dropped — each with
 * a warning naming the marker's line.
 */
export function markersToAnnotations(
  markers: BrainVisionMarker[],
  sampleRateHz: number,
  sampleCount: number,
  channelLabels: string[],
  file: string,
): { annotations: Annotation[]; warnings: ComplianceWarning[] } {
  const warnings: ComplianceWarning[] = [];
  const annotations: Annotation[] = [];
  const spanSamples = sampleCount;
  const sorted = markers.map((m, i) => ({ m, i })).sort((a, b) => a.m.position - b.m.position || a.i - b.i);
  for (const { m } of sorted) {
    let start = m.position - 1;
    let end = start + m.size;
    if (start >= spanSamples && !(spanSamples === 0 && start === 0)) {
      warnings.push({ code: 'BV_MARKER_OUTSIDE', message: `marker on line ${m.line} is at sample ${m.position}, after the last sample (${sampleCount}); dropped`, field: 'Mk', file });
      continue;
    }
    if (start < 0) {
      warnings.push({ code: 'BV_MARKER_OUTSIDE', message: `marker on line ${m.line} is at position ${m.position}, before the first sample (1); moved to 1`, field: 'Mk', file });
      start = 0;
      end = Math.max(0, end);
    }
    if (end > spanSamples) {
      warnings.push({ code: 'BV_MARKER_OUTSIDE', message: `marker on line ${m.line} runs past the last sample; shortened`, field: 'Mk', file });
      end = spanSamples;
    }
    const annotation: Annotation = {
      onsetSeconds: start / sampleRateHz,
      durationSeconds: (end - start) / sampleRateHz,
      text: `${m.type}/${m.description}`,
    };
    const label = m.channel > 0 ? channelLabels[m.channel - 1] : undefined;
    if (label !== undefined) annotation.channels = [label];
    annotations.push(annotation);
  }
  return { annotations, warnings };
}

import type { Command } from 'commander';
import { findGaps, recordedSeconds, spanSeconds } from '@cajal/core';
import type { RecordingHeader } from '@cajal/core';
import { openRecordingFile } from '@cajal/formats/node';
import { startTask } from '../progress.ts';

/** What `cajal info --json` prints (snake_case, stable). */
export interface InfoReport {
  file: string;
  format: string;
  start_time: string | null;
  duration_seconds: number;
  recorded_seconds: number;
  channels: Array<{ label: string; unit: string; type: string; sample_rate_hz: number; sample_count: number }>;
  annotations: { count: number; first: Array<{ onset_seconds: number; duration_seconds: number; text: string }> };
  segments: number;
  gaps: Array<{ onset_seconds: number; duration_seconds: number }>;
  warnings: Array<{ code: string; message: string; field?: string; byte_offset?: number }>;
}

/** Annotations listed in full by `info` (the rest are counted). */
const annotationsShown = 5;

/** Summarise a header for `cajal info`. */
export function describeHeader(file: string, header: RecordingHeader): InfoReport {
  return {
    file,
    format: header.format,
    start_time: header.startTime ? header.startTime.toISOString() : null,
    duration_seconds: spanSeconds(header),
    recorded_seconds: recordedSeconds(header),
    channels: header.channels.map((c) => ({ label: c.label, unit: c.unit, type: c.type, sample_rate_hz: c.sampleRateHz, sample_count: c.sampleCount })),
    annotations: {
      count: header.annotations.length,
      first: header.annotations.slice(0, annotationsShown).map((a) => ({ onset_seconds: a.onsetSeconds, duration_seconds: a.durationSeconds, text: a.text })),
    },
    segments: header.segments.length,
    gaps: findGaps(header.segments).map((g) => ({ onset_seconds: g.onsetSeconds, duration_seconds: g.durationSeconds })),
    warnings: header.warnings.map((w) => ({ code: w.code, message: w.message, ...(w.field !== undefined ? { field: w.field } : {}), ...(w.byteOffset !== undefined ? { byte_offset: w.byteOffset } : {}) })),
  };
}

const seconds = (value: number): string => `${Number(value.toFixed(6))} s`;

/** Render an info report as text lines for a terminal. */
export function formatInfo(report: InfoReport): string {
  const lines = [
    `file:        ${report.file}`,
    `format:      ${report.format.toUpperCase()}`,
    `start:       ${report.start_time ?? 'unknown'}`,
    `duration:    ${seconds(report.duration_seconds)}${report.gaps.length > 0 ? ` (${seconds(report.recorded_seconds)} recorded)` : ''}`,
    `channels:    ${report.channels.length}`,
  ];
  const width = Math.max(5, ...report.channels.map((c) => c.label.length));
  for (const c of report.channels) {
    lines.push(`  ${c.label.padEnd(width)}  ${(c.unit || '-').padEnd(6)} ${String(c.sample_rate_hz).padStart(9)} Hz ${String(c.sample_count).padStart(11)} samples  ${c.type}`);
  }
  lines.push(`annotations: ${report.annotations.count}`);
  for (const a of report.annotations.first) lines.push(`  ${seconds(a.onset_seconds).padStart(14)}  ${a.duration_seconds > 0 ? `+${seconds(a.duration_seconds)}` : ''}  ${a.text}`);
  if (report.annotations.count > report.annotations.first.length) lines.push(`  ... ${report.annotations.count - report.annotations.first.length} more`);
  lines.push(`gaps:        ${report.gaps.length}${report.gaps.length > 0 ? ` (${report.segments} segments)` : ''}`);
  for (const g of report.gaps) lines.push(`  from ${seconds(g.onset_seconds)} for ${seconds(g.duration_seconds)}`);
  lines.push(`warnings:    ${report.warnings.length}`);
  for (const w of report.warnings) lines.push(`  [${w.code}] ${w.message}`);
  return `${lines.join('\n')}\n`;
}

/** Open a file (header only) and print its report; shared with `cajal demo`. */
export async function printInfo(file: string, json: boolean, options: { quiet?: boolean } = {}): Promise<InfoReport> {
  // Opening scans the annotation signals (EDF+) or Status channel (BDF): long for big files.
  const task = startTask('reading', options.quiet ? { quiet: true } : {});
  let opened: Awaited<ReturnType<typeof openRecordingFile>>;
  try {
    opened = await openRecordingFile(file, { onProgress: task.onProgress, signal: task.signal });
  } finally {
    task.stop();
  }
  try {
    const report = describeHeader(file, opened.header);
    process.stdout.write(json ? `${JSON.stringify(report, null, 2)}\n` : formatInfo(report));
    return report;
  } finally {
    await opened.close();
  }
}

/**
 * `cajal info FILE [--json]`: format, channels (label, unit, rate, sample count), duration,
 * start, annotations (count and the first few), gaps and compliance warnings. Reads the header
 * (and the annotation signals) only.
 *
 * @example
 *   cajal info recording.edf --json
 */
export function register(program: Command): void {
  program
    .command('info')
    .description('describe a recording: format, channels, duration, start, annotations, gaps, compliance warnings')
    .argument('<file>', 'EDF/EDF+/BDF/BDF+, BrainVision or other readable file')
    .option('--json', 'print JSON instead of text')
    .action(async (file: string, options: { json?: boolean }) => {
      await printInfo(file, options.json === true);
    });
}

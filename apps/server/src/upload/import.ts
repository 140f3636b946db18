/**
 * Import one uploaded recording: stream to a temp file (size limit, sha256), detect and fully
 * validate it through `@cajal/formats`, de-identify the stored copy, move it into the
 * content-addressed store, and record it (with its annotations and the de-identification
 * report) in the database. Any failure leaves nothing behind: no row, no stored file, no temp
 * file.
 */
import { rm } from 'node:fs/promises';
import { CajalError, spanSeconds } from '@cajal/core';
import type { RecordingHeader } from '@cajal/core';
import { openRecording } from '@cajal/formats';
import type { DeidentificationChanges, EdfOpened, OpenedRecording } from '@cajal/formats';
import { openPathSource } from '@cajal/formats/node';
import type { ServerServices } from '../http/context.ts';
import { HttpError } from '../http/errors.ts';
import type { Project, RecordingRow, Subject, User } from '../storage/storage.ts';
import { deidentifyEdfFile } from './deidentify.ts';
import type { DeidentificationReport } from './deidentify.ts';
import { hashFile, receiveToFile } from './receive.ts';

export interface ImportRequest {
  project: Project;
  subject: Subject | null;
  /** The name the file was uploaded under (for format detection and messages only). */
  fileName: string;
  body: ReadableStream<Uint8Array> | null;
  user: User;
  simulated?: boolean;
}

/** Warnings that mean the file is damaged rather than merely unusual. */
function damage(header: RecordingHeader): string | undefined {
  const truncated = header.warnings.find((w) => w.code === 'RECORD_COUNT_MISMATCH' && /holds only/.test(w.message));
  if (truncated) return `the file is truncated: ${truncated.message}`;
  return undefined;
}

/**
 * Check a file name from the client: a plain name (no folders, no "..", no control
 * characters), at most 255 characters.
 */
export function checkFileName(name: string): string {
  if (name.length === 0 || name.length > 255) throw new HttpError(400, 'INVALID_FILE_NAME', `fileName must be 1-255 characters, got ${name.length}`);
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[/\\]/.test(name) || name.includes('..') || /[\x00-\x1f\x7f]/.test(name) || /^[.\s]/.test(name)) {
    // eslint-disable-next-line no-control-regex -- shown as "?" in the message
    throw new HttpError(400, 'INVALID_FILE_NAME', `fileName "${name.replace(/[\x00-\x1f\x7f]/g, '?')}" must be a plain file name: no folders, "..", leading dot or control characters`);
  }
  return name;
}

async function openNamed(path: string, name: string): Promise<OpenedRecording> {
  const source = await openPathSource(path);
  try {
    return await openRecording({ ...source, name });
  } catch (error) {
    await source.close?.();
    throw error;
  }
}

/** Read every sample once, in windows of at most ~4 M samples, so damage anywhere is found. */
async function validateSamples(opened: OpenedRecording): Promise<void> {
  const { header } = opened;
  if (header.channels.length === 0) throw new CajalError('FORMAT_INVALID_FIELD', 'the recording has no signal channels');
  const total = spanSeconds(header);
  if (!(total > 0) || !Number.isFinite(total)) throw new CajalError('FORMAT_INVALID_FIELD', `the recording lasts ${total} s; it holds no samples`);
  const ratePerSecond = header.channels.reduce((sum, c) => sum + c.sampleRateHz, 0);
  const window = Math.max(1, 4e6 / ratePerSecond);
  for (let start = 0; start < total; start += window) {
    const part = await opened.read({ startSeconds: start, endSeconds: Math.min(total, start + window) });
    for (const channel of part.channels) {
      for (let i = 0; i < channel.samples.length; i++) {
        if (!Number.isFinite(channel.samples[i])) throw new CajalError('FORMAT_INVALID_FIELD', `channel "${channel.label}" has a non-finite sample near ${start.toFixed(1)} s`);
      }
    }
  }
}

/** The header as stored in the database (no subject or recording identification). */
export function storedHeader(header: RecordingHeader): Record<string, unknown> {
  return {
    format: header.format,
    startTime: header.startTime ? header.startTime.toISOString() : null,
    channels: header.channels.map((c) => ({ label: c.label, unit: c.unit, sampleRateHz: c.sampleRateHz, sampleCount: c.sampleCount, type: c.type, physicalMin: c.physicalMin, physicalMax: c.physicalMax })),
    segments: header.segments,
    warnings: header.warnings.map((w) => ({ code: w.code, message: w.message, field: w.field, byteOffset: w.byteOffset })),
  };
}

/**
 * Run the whole import. Throws a CajalError/HttpError (4xx) for a bad file, after removing
 * everything it created.
 */
export async function importRecording(services: ServerServices, request: ImportRequest): Promise<{ recording: RecordingRow; report: DeidentificationReport }> {
  const { blobs, storage, config } = services;
  const temp = blobs.tempPath();
  const received = await receiveToFile(request.body, temp, config.maxUploadBytes);
  let committedSha: string | undefined;
  let blobExisted = true;
  try {
    let opened = await openNamed(temp, request.fileName);
    let edf: EdfOpened['edf'] | undefined;
    try {
      const problem = damage(opened.header);
      if (problem) throw new CajalError('FORMAT_TRUNCATED', problem, { file: request.fileName });
      await validateSamples(opened);
      edf = (opened as Partial<EdfOpened>).edf;
    } finally {
      await opened.close();
    }
    const format = opened.header.format;
    const extension = format.startsWith('bdf') ? 'bdf' : format.startsWith('edf') ? 'edf' : (request.fileName.split('.').pop() ?? 'bin').toLowerCase().replace(/[^a-z0-9]/g, '').slice(0, 8);
    const existing = await storage.listRecordings(request.project.id);
    const storedName = `${request.subject?.code ?? 'recording'}-${String(existing.length + 1).padStart(3, '0')}.${extension}`;
    let rewrite: DeidentificationChanges = { method: 'metadata-only', fields: [], annotationsRedacted: 0, spansMasked: 0, shiftDays: 0 };
    if (edf) {
      rewrite = await deidentifyEdfFile(temp, edf, { subjectCode: request.subject?.code ?? null, datePolicy: request.project.datePolicy, projectId: request.project.id });
    }
    opened = await openNamed(temp, storedName);
    const header = opened.header;
    await opened.close();
    const sha256 = rewrite.fields.length > 0 ? await hashFile(temp) : received.sha256;
    const report: DeidentificationReport = {
      ...rewrite,
      datePolicy: request.project.datePolicy,
      fileNameReplaced: true,
      storedName,
      originalSha256: received.sha256,
      consentOnRecord: request.subject?.consent != null,
      performedAt: new Date().toISOString(),
    };
    blobExisted = await blobs.has(sha256);
    await blobs.commit(temp, sha256);
    committedSha = sha256;
    const recording = await storage.insertRecording({
      projectId: request.project.id,
      subjectId: request.subject?.id ?? null,
      name: storedName,
      format,
      channelCount: header.channels.length,
      durationSeconds: spanSeconds(header),
      startTime: header.startTime ? header.startTime.toISOString() : null,
      sizeBytes: received.sizeBytes,
      sha256,
      originalSha256: received.sha256,
      simulated: request.simulated ?? false,
      header: storedHeader(header),
      deidentification: report,
      badChannels: [],
      createdBy: request.user.id,
    }, header.annotations.map((a) => ({
      onsetSeconds: a.onsetSeconds, durationSeconds: a.durationSeconds, text: a.text, ...(a.channels ? { channels: a.channels } : {}),
      // Read from the stored (de-identified, renamed) file: formats says so.
      source: a.source ?? { kind: 'file' as const, file: storedName },
    })));
    return { recording, report };
  } catch (error) {
    await rm(temp, { force: true });
    if (committedSha && !blobExisted) {
      const stillUsed = (await storage.listBlobs()).some((b) => b.sha256 === committedSha);
      if (!stillUsed) await blobs.remove(committedSha);
    }
    throw error;
  }
}

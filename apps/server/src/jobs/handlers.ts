/**
 * Job handlers: pure work from parameters (and a recording file) to a JSON result, with
 * progress and cancellation. They never write to the database; the runner records the result
 * idempotently. Built in: "checksum", deterministic (the job contract suite uses it), and
 * "analyze", `@cajal/signal`'s default analysis (`analyzeRecording`, what `cajal analyze`
 * runs), whose result is signal's `AnalysisJson`. Other kinds come from `registerJobHandler`.
 */
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { CajalError, throwIfAborted } from '@cajal/core';
import type { LongOperationOptions } from '@cajal/core';
import { readRecordingFile } from '@cajal/formats/node';
import { analyzeRecording } from '@cajal/signal';
import type { AnalysisJson } from '@cajal/signal';
import { analyzeOptionsOf } from './analyze-params.ts';

export interface JobInput {
  kind: string;
  params: Record<string, unknown>;
  /** Path of the recording's stored file, when the job has one. */
  recordingPath?: string;
}

export type JobHandler = (input: JobInput, options: Required<Pick<LongOperationOptions, 'onProgress' | 'signal'>>) => Promise<unknown>;

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(new CajalError('ABORTED', 'job was cancelled'));
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(new CajalError('ABORTED', 'job was cancelled'));
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

const integer = (value: unknown, name: string, fallback: number, min: number, max: number): number => {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw new CajalError('INVALID_ARGUMENT', `params.${name} must be an integer in ${min}..${max}, got ${JSON.stringify(value)}`, { field: `params.${name}` });
  }
  return value;
};

/**
 * Deterministic checksum: sha256 chained over `steps` steps of `text` (or of the recording's
 * bytes, split into `steps` chunks), pausing `stepMs` ms per step so progress is visible.
 * Result: { digest, steps }.
 */
const checksum: JobHandler = async (input, { onProgress, signal }) => {
  const steps = integer(input.params['steps'], 'steps', 10, 1, 10000);
  const stepMs = integer(input.params['stepMs'], 'stepMs', 50, 0, 60000);
  const text = typeof input.params['text'] === 'string' ? input.params['text'] : 'cajal';
  const hash = createHash('sha256');
  const file = input.recordingPath ? await open(input.recordingPath, 'r') : undefined;
  try {
    const size = file ? (await file.stat()).size : 0;
    const chunk = Math.ceil(size / steps);
    for (let step = 0; step < steps; step++) {
      throwIfAborted(signal, 'checksum job');
      if (file) {
        const buffer = Buffer.alloc(Math.max(0, Math.min(chunk, size - step * chunk)));
        await file.read(buffer, 0, buffer.length, step * chunk);
        hash.update(buffer);
      } else {
        hash.update(`${step}:${text}`);
      }
      onProgress({ done: step + 1, total: steps, stage: 'hashing' });
      if (stepMs > 0) await sleep(stepMs, signal);
    }
  } finally {
    await file?.close();
  }
  return { digest: hash.digest('hex'), steps };
};

/**
 * The default analysis of the job's recording (`@cajal/signal` analyzeRecording, as `cajal
 * analyze`): band-pass and notch, Welch PSD, absolute and relative band powers, per-channel
 * features (peak alpha frequency, ...), alpha-band coherence / wPLI / PLV with graph measures.
 * Params (analyzeParamsSchema): montage, bands, lineFrequencyHz, channels (default "all"),
 * previewSeconds (default 0). Result: signal's AnalysisJson.
 */
const analyze: JobHandler = async (input, { onProgress, signal }): Promise<AnalysisJson> => {
  if (!input.recordingPath) throw new CajalError('INVALID_ARGUMENT', 'an analyze job needs a recordingId', { field: 'recordingId' });
  const options = analyzeOptionsOf(input.params);
  const recording = await readRecordingFile(input.recordingPath, { onProgress: (p) => onProgress({ ...p, stage: 'reading' }), signal });
  return analyzeRecording(recording, { ...options, onProgress, signal });
};

/** A job kind: its handler, and an optional check of its params run when a job is created, so bad params fail at once (400). */
interface JobKind {
  run: JobHandler;
  checkParams?: (params: Record<string, unknown>) => void;
}

const kinds = new Map<string, JobKind>([
  ['checksum', { run: checksum }],
  ['analyze', { run: analyze, checkParams: (params) => void analyzeOptionsOf(params) }],
]);

/**
 * Add a handler (another package's job kind), with an optional check of its params that throws
 * a CajalError when they are wrong.
 *
 * @example
 *   registerJobHandler('simulate', async (input, { onProgress, signal }) => runModel(input.params, { onProgress, signal }));
 */
export function registerJobHandler(kind: string, handler: JobHandler, checkParams?: (params: Record<string, unknown>) => void): void {
  kinds.set(kind, { run: handler, ...(checkParams ? { checkParams } : {}) });
}

/** Throw the CajalError a job of `kind` with these params would fail with (nothing when fine or unchecked). */
export function checkJobParams(kind: string, params: Record<string, unknown>): void {
  kinds.get(kind)?.checkParams?.(params);
}

/** The kinds that can be started. */
export function jobKinds(): string[] {
  return [...kinds.keys()];
}

/** Run the handler for `input.kind`. */
export async function runHandler(input: JobInput, options: Required<Pick<LongOperationOptions, 'onProgress' | 'signal'>>): Promise<unknown> {
  const kind = kinds.get(input.kind);
  if (!kind) throw new CajalError('INVALID_ARGUMENT', `unknown job kind "${input.kind}"`, { field: 'kind' });
  return kind.run(input, options);
}

/**
 * Job handlers: pure work from parameters (and a recording file) to a JSON result, with
 * progress and cancellation. They never write to the database; the runner records the result
 * idempotently. "checksum" is deterministic and built in (the job contract suite uses it);
 * "analyze" computes Welch spectra and band powers per channel with `@cajal/signal`.
 */
import { createHash } from 'node:crypto';
import { open } from 'node:fs/promises';
import { CajalError, throwIfAborted } from '@cajal/core';
import type { LongOperationOptions } from '@cajal/core';
import { openRecordingFile } from '@cajal/formats/node';
import { bandPowers, defaultBands, peakAlphaFrequency, welch } from '@cajal/signal';

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
 * Spectral analysis of every channel: Welch PSD (2-s Hann segments, half overlap), absolute
 * and relative band powers (delta, theta, alpha, beta; total 1-45 Hz) and the peak alpha
 * frequency, and the PSD up to 45 Hz. Result: { method, channels: [{ label, unit, bandPowers,
 * relativeBandPowers, peakAlphaHz, psd: { frequenciesHz, powerDb } }] }.
 */
const analyze: JobHandler = async (input, { onProgress, signal }) => {
  if (!input.recordingPath) throw new CajalError('INVALID_ARGUMENT', 'an analyze job needs a recordingId', { field: 'recordingId' });
  const opened = await openRecordingFile(input.recordingPath);
  try {
    const channels = opened.header.channels;
    const out: Array<Record<string, unknown>> = [];
    for (let i = 0; i < channels.length; i++) {
      throwIfAborted(signal, 'analyze job');
      const channel = channels[i] as (typeof channels)[number];
      const samples = await opened.readChannel(i);
      const segment = Math.min(samples.length, Math.round(2 * channel.sampleRateHz));
      if (segment < 8) continue;
      const spectrum = welch(samples, channel.sampleRateHz, { nperseg: segment, window: 'hann' });
      const powers = bandPowers(spectrum.frequencies, spectrum.power, defaultBands, [1, Math.min(45, channel.sampleRateHz / 2)]);
      // The spectrum up to 45 Hz, in dB (10 log10 of unit^2/Hz), rounded to 0.01 dB.
      const keep = Array.from(spectrum.frequencies).filter((f) => f <= 45).length;
      out.push({
        label: channel.label, unit: channel.unit, bandPowers: powers.absolute, relativeBandPowers: powers.relative,
        peakAlphaHz: channel.sampleRateHz > 28 ? peakAlphaFrequency(spectrum.frequencies, spectrum.power) : null,
        psd: {
          frequenciesHz: Array.from(spectrum.frequencies.subarray(0, keep), (f) => Math.round(f * 1000) / 1000),
          powerDb: Array.from(spectrum.power.subarray(0, keep), (p) => Math.round(10 * Math.log10(p + 1e-30) * 100) / 100),
        },
      });
      onProgress({ done: i + 1, total: channels.length, stage: `channel ${channel.label}` });
    }
    return { method: 'welch 2 s hann, band powers 1-45 Hz (@cajal/signal)', channels: out };
  } finally {
    await opened.close();
  }
};

const handlers = new Map<string, JobHandler>([
  ['checksum', checksum],
  ['analyze', analyze],
]);

/** Add a handler (other packages' jobs: simulate, train). */
export function registerJobHandler(kind: string, handler: JobHandler): void {
  handlers.set(kind, handler);
}

/** The kinds that can be started. */
export function jobKinds(): string[] {
  return [...handlers.keys()];
}

/** Run the handler for `input.kind`. */
export async function runHandler(input: JobInput, options: Required<Pick<LongOperationOptions, 'onProgress' | 'signal'>>): Promise<unknown> {
  const handler = handlers.get(input.kind);
  if (!handler) throw new CajalError('INVALID_ARGUMENT', `unknown job kind "${input.kind}"`, { field: 'kind' });
  return handler(input, options);
}

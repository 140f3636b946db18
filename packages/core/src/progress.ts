import { CajalError } from './errors.ts';

/**
 * Progress and cancellation conventions. Long operations take `{ onProgress, signal }`:
 * `onProgress` receives how much is done out of a total (in any unit the operation names),
 * `signal` is a standard AbortSignal; an aborted operation throws CajalError('ABORTED').
 *
 * @example
 *   await readRecording(file, { onProgress: (p) => bar.update(p.done / p.total), signal });
 */
export interface Progress {
  /** Units of work finished so far. */
  done: number;
  /** Total units of work (>= done). */
  total: number;
  /** What is being done, e.g. "reading records". */
  stage?: string;
}

export type ProgressCallback = (progress: Progress) => void;

/** Options every long-running operation accepts. */
export interface LongOperationOptions {
  onProgress?: ProgressCallback;
  signal?: AbortSignal;
}

/** Throw CajalError('ABORTED') if the signal has been aborted. */
export function throwIfAborted(signal: AbortSignal | undefined, what = 'operation'): void {
  if (signal?.aborted) {
    throw new CajalError('ABORTED', `${what} was cancelled`, { reason: String(signal.reason ?? '') });
  }
}

/**
 * Wrap a progress callback so it fires at most once per `minStep` fraction of the total
 * (and always at the end), keeping hot loops cheap.
 */
export function throttleProgress(callback: ProgressCallback | undefined, minStep = 0.01): ProgressCallback {
  if (!callback) return () => undefined;
  let lastFraction = -Infinity;
  return (p) => {
    const fraction = p.total > 0 ? p.done / p.total : 1;
    if (fraction - lastFraction >= minStep || p.done >= p.total) {
      lastFraction = fraction;
      callback(p);
    }
  };
}

import { CajalError, isCajalError } from '@cajal/core';
import { type TaskEnvironmentFactory, type TrainConfig, formatTrainConfig, makeBuiltinDataset, parseTrainConfig, runTraining } from './config.ts';
import { encodeWeights, packWeights } from './io.ts';
import { gemmBackend } from './kernels.ts';
import type { EpochRecord } from './train.ts';

/**
 * Training off the main thread: a Web Worker (or Node worker_threads port) runs
 * `serveTraining(self)`; the page calls `trainInWorker(worker, config, { onEpoch })`, which
 * resolves with the final metrics and the trained weights as a packed buffer (`packWeights`
 * format; load with unpackWeights + loadWeights). Built-in data sets only: spirals, and the
 * task-backed n-back and DMS when the worker is given `createTaskEnvironment` (as
 * `@cajal/compare`'s `serveTrainingOnTasks` does).
 *
 * Messages to the worker: { type: 'train', config, data? } and { type: 'cancel' }. From it:
 * { type: 'epoch', record }, { type: 'progress', done, total }, { type: 'done', result } and
 * { type: 'error', code, message }.
 *
 * @example
 *   // worker.ts:  import { loadWasmGemm, serveTraining } from '@cajal/nn'; await loadWasmGemm(); serveTraining(self);
 *   const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module' });
 *   const result = await trainInWorker(worker, config, { onEpoch: (r) => draw(r.train_loss) });
 */
export interface WorkerScope {
  postMessage(message: unknown, transfer?: Transferable[]): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
}

export interface WorkerTrainResult {
  history: EpochRecord[];
  final: { loss: number; accuracy?: number; on: 'validation' | 'train' };
  parameter_count: number;
  /** Packed weights ("CAJALNN1" buffer with the spec inside). */
  weights: Uint8Array;
  /** Matrix-product kernel the worker used. */
  gemm: 'wasm-simd' | 'js';
}

/** `config` travels as its JSON document (`formatTrainConfig`); the worker parses it. */
export type WorkerRequest = { type: 'train'; config: unknown } | { type: 'cancel' };
export type WorkerReply =
  | { type: 'epoch'; record: EpochRecord }
  | { type: 'progress'; done: number; total: number }
  | { type: 'done'; result: WorkerTrainResult }
  | { type: 'error'; code: string; message: string };

/** Install the training message handler on a worker scope (one run at a time). */
export function serveTraining(scope: WorkerScope, options: { createTaskEnvironment?: TaskEnvironmentFactory } = {}): void {
  let controller: AbortController | null = null;
  scope.addEventListener('message', (event: MessageEvent) => {
    const request = event.data as WorkerRequest;
    if (request.type === 'cancel') {
      controller?.abort(new Error('cancelled'));
      return;
    }
    if (request.type !== 'train') return;
    if (controller) {
      scope.postMessage({ type: 'error', code: 'CONFLICT', message: 'a training run is already in progress' } satisfies WorkerReply);
      return;
    }
    const running = new AbortController();
    controller = running;
    let lastProgress = 0;
    void (async () => {
      try {
        const config = parseTrainConfig(request.config);
        const data = makeBuiltinDataset(config.dataset, config.training?.seed ?? 0, options.createTaskEnvironment);
        const run = await runTraining(config, data, {
          signal: running.signal,
          onProgress: (p) => {
            const now = Date.now();
            if (now - lastProgress > 100 || p.done === p.total) {
              lastProgress = now;
              scope.postMessage({ type: 'progress', done: p.done, total: p.total } satisfies WorkerReply);
            }
          },
          onEpoch: (record) => scope.postMessage({ type: 'epoch', record } satisfies WorkerReply),
        });
        const { manifest, data: blob } = encodeWeights(run.model, { spec: config.model });
        const weights = packWeights(manifest, blob);
        const result: WorkerTrainResult = { history: run.result.history, final: run.final, parameter_count: run.parameter_count, weights, gemm: gemmBackend() ? 'wasm-simd' : 'js' };
        scope.postMessage({ type: 'done', result } satisfies WorkerReply, [weights.buffer as ArrayBuffer]);
      } catch (error) {
        const code = isCajalError(error) ? error.code : 'INTERNAL';
        scope.postMessage({ type: 'error', code, message: error instanceof Error ? error.message : String(error) } satisfies WorkerReply);
      } finally {
        controller = null;
      }
    })();
  });
}

/** Something `trainInWorker` can talk to: a DOM Worker or a wrapper around worker_threads. */
export interface WorkerLike {
  postMessage(message: unknown): void;
  addEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
  removeEventListener(type: 'message', listener: (event: MessageEvent) => void): void;
}

/** Run `config` in `worker`; resolves when training ends, rejects with CajalError (ABORTED when cancelled). */
export function trainInWorker(
  worker: WorkerLike,
  config: TrainConfig,
  options: { onEpoch?: (record: EpochRecord) => void; onProgress?: (done: number, total: number) => void; signal?: AbortSignal } = {},
): Promise<WorkerTrainResult> {
  return new Promise((resolve, reject) => {
    const onAbort = (): void => worker.postMessage({ type: 'cancel' } satisfies WorkerRequest);
    const listener = (event: MessageEvent): void => {
      const reply = event.data as WorkerReply;
      if (reply.type === 'epoch') options.onEpoch?.(reply.record);
      else if (reply.type === 'progress') options.onProgress?.(reply.done, reply.total);
      else {
        worker.removeEventListener('message', listener);
        options.signal?.removeEventListener('abort', onAbort);
        if (reply.type === 'done') resolve(reply.result);
        else reject(new CajalError(reply.code as CajalError['code'], reply.message));
      }
    };
    worker.addEventListener('message', listener);
    options.signal?.addEventListener('abort', onAbort, { once: true });
    worker.postMessage({ type: 'train', config: formatTrainConfig(config) } satisfies WorkerRequest);
  });
}

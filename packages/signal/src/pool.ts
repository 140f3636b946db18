import { CajalError, throwIfAborted } from '@cajal/core';
import type { LongOperationOptions } from '@cajal/core';
import { runPoolTask } from './tasks.ts';
import type { PoolTaskInput, PoolTaskName, PoolTaskOutput } from './tasks.ts';

/**
 * A pool that runs named tasks (see tasks.ts) over many inputs, typically one per channel.
 * Browser-safe interface; implementations: `createInlinePool` (here, same thread),
 * `createNodePool` (worker_threads, in pool.node.ts) and `createWebWorkerPool` (Web Workers,
 * in pool.web.ts). Results come back in input order; progress counts finished inputs;
 * aborting rejects with CajalError('ABORTED') and stops dispatching.
 *
 * @example
 *   const outputs = await pool.map('analyzeChannel', inputs, { onProgress, signal });
 */
export interface TaskPool {
  /** Number of parallel workers (1 for the inline pool). */
  readonly size: number;
  map<K extends PoolTaskName>(task: K, inputs: PoolTaskInput<K>[], options?: LongOperationOptions & { transfer?: boolean }): Promise<PoolTaskOutput<K>[]>;
  close(): Promise<void>;
}

/** Runs every task on the calling thread, yielding to the event loop between inputs. */
export function createInlinePool(): TaskPool {
  return {
    size: 1,
    async map(task, inputs, options = {}) {
      const outputs = [];
      for (let i = 0; i < inputs.length; i++) {
        throwIfAborted(options.signal, task);
        outputs.push(runPoolTask(task, inputs[i] as PoolTaskInput<typeof task>));
        options.onProgress?.({ done: i + 1, total: inputs.length, stage: task });
        await new Promise<void>((resolve) => setTimeout(resolve, 0));
      }
      return outputs;
    },
    async close() {
      // Nothing to release.
    },
  };
}

/** What a worker posts back for one input. */
export type WorkerReply = { id: number; ok: true; output: unknown } | { id: number; ok: false; error: { code?: string; message: string } };

/** What the pool posts to a worker. */
export interface WorkerRequest {
  id: number;
  task: PoolTaskName;
  input: unknown;
}

/** The minimal worker handle both Node and browser implementations adapt to. */
export interface WorkerHandle {
  post(message: WorkerRequest, transfer: ArrayBuffer[]): void;
  onReply(listener: (reply: WorkerReply) => void): void;
  onFailure(listener: (error: Error) => void): void;
  terminate(): Promise<void> | void;
}

/**
 * A pool over worker handles: a shared queue, one task in flight per worker. Used by the Node
 * and Web Worker implementations.
 */
export function createHandlePool(workers: WorkerHandle[], transferOut: (value: unknown) => ArrayBuffer[]): TaskPool {
  let nextId = 1;
  const waiting = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  for (const worker of workers) {
    worker.onReply((reply) => {
      const entry = waiting.get(reply.id);
      if (!entry) return;
      waiting.delete(reply.id);
      if (reply.ok) entry.resolve(reply.output);
      else entry.reject(new CajalError((reply.error.code as 'INTERNAL') ?? 'INTERNAL', reply.error.message));
    });
    worker.onFailure((error) => {
      for (const [id, entry] of waiting) {
        waiting.delete(id);
        entry.reject(new CajalError('INTERNAL', `worker failed: ${error.message}`, {}, { cause: error }));
      }
    });
  }
  const call = (worker: WorkerHandle, task: PoolTaskName, input: unknown, transfer: boolean): Promise<unknown> =>
    new Promise((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve, reject });
      worker.post({ id, task, input }, transfer ? transferOut(input) : []);
    });
  return {
    size: workers.length,
    async map(task, inputs, options = {}) {
      const outputs = new Array(inputs.length);
      let next = 0;
      let done = 0;
      const runWorker = async (worker: WorkerHandle): Promise<void> => {
        while (next < inputs.length) {
          throwIfAborted(options.signal, task);
          const index = next++;
          outputs[index] = await call(worker, task, inputs[index], options.transfer ?? false);
          done++;
          options.onProgress?.({ done, total: inputs.length, stage: task });
        }
      };
      await Promise.all(workers.map(runWorker));
      throwIfAborted(options.signal, task);
      return outputs;
    },
    async close() {
      await Promise.all(workers.map((w) => w.terminate()));
    },
  };
}

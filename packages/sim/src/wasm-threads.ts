import { CajalError } from '@cajal/core';
import type { KernelHelpers } from './simulation.ts';

/**
 * Threaded neuron updates for the wasm backend. With `threads: n` the state of every wasm group
 * lives in one shared WebAssembly memory; n - 1 workers each run the group's update module
 * (the same bytes) over a fixed slice of the neurons while the calling thread does the first
 * slice, then the calling thread appends each worker's spikes to its own in neuron order. The
 * scatters onto a threaded group are split by target range the same way (wasm.ts builds one
 * part per thread), so each thread writes only its own neurons' state. Resets, plasticity and
 * monitors stay on the calling thread. Slices are whole loop iterations, each neuron's
 * arithmetic is the same whichever thread does it, and every target sees the same constant
 * increments, so results are bit-identical to one thread (the contract suite checks).
 *
 * Synchronisation is one control slot of a SharedArrayBuffer per worker, its fields in groups
 * 256 bytes apart: the caller writes the task, bumps SEQ and waits on DONE; the worker waits on
 * SEQ. Both spin first and then block in Atomics.wait (woken by Atomics.notify), see SPINS.
 * Until every worker has started, the caller does everything itself, so nothing ever waits for
 * a worker to start (a browser's main thread could not) and the answer is the same either way.
 *
 * Workers are plain script (no imports) started by a ThreadSpawner: `@cajal/sim/node` registers
 * one over worker_threads, `useWebWorkerThreads()` (threads.web.ts) one over Web Workers where
 * the page is cross-origin isolated (shared memory needs it).
 */

/** A started worker, as much of it as the wasm backend needs. */
export interface SpawnedThread {
  postMessage(message: unknown): void;
  terminate(): void;
}
/**
 * Starts a worker running `source` (classic script; in Node a CommonJS eval worker) and calls
 * `onFailure` if it fails to start or exits on its own. (A worker that dies while the caller
 * waits for it mid-step is not seen there, since the caller's wait does not return to its event
 * loop: the caller gives up after the timeout instead, see UpdateThreads.join.)
 */
export type ThreadSpawner = (source: string, onFailure: (error: Error) => void) => SpawnedThread;

/** Workers of threads that were never closed are stopped when their simulation is collected. */
const collected = new FinalizationRegistry<{ control: Int32Array; workers: SpawnedThread[] }>((held) => stopWorkers(held.control, held.workers));
function stopWorkers(control: Int32Array, workers: SpawnedThread[]): void {
  for (let w = 0; w < workers.length; w++) {
    Atomics.store(control, w * SLOT + SEQ, -1);
    Atomics.notify(control, w * SLOT + SEQ);
    workers[w]?.terminate();
  }
}

let spawner: ThreadSpawner | undefined;
/** Register how to start workers (`@cajal/sim/node` does this for Node on import); returns the one it replaces. */
export function setThreadSpawner(spawn: ThreadSpawner | undefined): ThreadSpawner | undefined {
  const previous = spawner;
  spawner = spawn;
  return previous;
}

// Control slot of a worker (Int32 indices). Fields written by different threads, or spun on,
// sit 256 bytes apart so that no two of these groups share a cache line (or an adjacent-line
// prefetch pair): the worker spins on SEQ, the caller on DONE, and the task fields are written
// before SEQ without pulling the line the worker is spinning on away from it.
const SEQ = 0; // caller writes, worker spins
const SLEEPING = 1; // worker writes, caller reads after bumping SEQ
const KIND = 64; // task: 0 update group INDEX, 1 scatter projection INDEX
const INDEX = 65;
const STEP = 66; // update: the step; scatter: the spike count
const FROM = 67;
const TO = 68;
const BASE = 69;
const DONE = 128; // worker writes, caller spins
const COUNT = 129;
const FAILED = 130;
const CALLER_SLEEPING = 131; // caller writes when it blocks on DONE, worker reads after DONE
const READY = 192;
const SLOT = 256;
/**
 * Spins before a waiting thread blocks in Atomics.wait (tens of microseconds). Spinning keeps
 * the hand-over at a fraction of a microsecond when each thread has its own core; blocking
 * after it keeps more threads than cores (or a busy machine) from wasting their time slices.
 */
const SPINS = 20000;

/** The worker's script: instantiate its modules, then serve tasks until SEQ goes negative. */
const workerSource = `
'use strict';
const serve = ({ memory, updates, scatters, control, slot }) => {
  const instantiate = (bytes) => new WebAssembly.Instance(new WebAssembly.Module(bytes), { env: { memory } }).exports;
  const update = updates.map((bytes) => instantiate(bytes).update);
  const scatter = scatters.map((bytes) => instantiate(bytes).propagate);
  const c = new Int32Array(control, slot * ${SLOT * 4}, ${SLOT});
  let seen = 0;
  Atomics.store(c, ${READY}, 1);
  for (;;) {
    let spins = 0;
    let seq;
    while ((seq = Atomics.load(c, ${SEQ})) === seen) {
      if (++spins > ${SPINS}) {
        Atomics.store(c, ${SLEEPING}, 1);
        Atomics.wait(c, ${SEQ}, seen);
        Atomics.store(c, ${SLEEPING}, 0);
        spins = 0;
      }
    }
    if (seq < 0) return;
    seen = seq;
    try {
      if (c[${KIND}] === 0) c[${COUNT}] = update[c[${INDEX}]](c[${STEP}], c[${FROM}], c[${TO}], c[${BASE}]);
      else scatter[c[${INDEX}]](c[${STEP}]);
    } catch (error) {
      c[${FAILED}] = 1;
    }
    Atomics.store(c, ${DONE}, seen);
    if (Atomics.load(c, ${CALLER_SLEEPING}) === 1) Atomics.notify(c, ${DONE});
  }
};
if (typeof require === 'function') require('node:worker_threads').parentPort.once('message', serve);
else self.onmessage = (event) => serve(event.data);
`;

/**
 * How `padded` neurons (whole loop iterations of `block` neurons) split between `threads`:
 * thread k takes cuts[k]..cuts[k + 1] - 1.
 */
export function threadCuts(padded: number, block: number, threads: number): number[] {
  return Array.from({ length: threads + 1 }, (_, k) => Math.round((padded * k) / threads / block) * block);
}

/** The update of one group: its wasm function and how its neurons are split between threads. */
export interface ThreadedGroup {
  /** The calling thread's instance of the group's update(step, from, to, spikeBase). */
  update: (step: number, from: number, to: number, spikeBase: number) => number;
  /** threadCuts of the group. */
  cuts: number[];
  /** The group's spike list (a view of the shared memory). */
  spikes: Int32Array;
}

/** Workers serving the update and scatter modules of a network's threaded groups over one shared memory. */
export class UpdateThreads implements KernelHelpers {
  private readonly control: Int32Array;
  private readonly workers: SpawnedThread[];
  private seq = 0;
  private started = false;
  private closed = false;
  private canBlock = true;
  /** A scatter task the workers may still be running (0: none), joined before the next task. */
  private outstanding = 0;
  /** Set when a worker did not finish a task in time: the state is half-stepped, every later step throws it. */
  private broken: CajalError | undefined;

  /**
   * `threads` counts the calling thread: threads - 1 workers are started. `updates` are the
   * threaded groups' update module bytes and `scatters` each split projection's part modules
   * (part k for thread k, onto the targets of its slice), in the order of the indices given to
   * `updateKernel` and `scatterKernel`.
   */
  constructor(memory: WebAssembly.Memory, updates: Uint8Array[], scatters: Uint8Array[][], readonly threads: number, private readonly timeoutMs = 30_000) {
    if (!spawner) throw new CajalError('INVALID_ARGUMENT', 'threaded simulation needs a way to start workers: in Node import "@cajal/sim/node" first (it registers worker_threads)', { field: 'threads' });
    const spawn = spawner;
    this.control = new Int32Array(new SharedArrayBuffer(4 * SLOT * (threads - 1)));
    this.workers = Array.from({ length: threads - 1 }, (_, slot) => {
      const worker = spawn(workerSource, (error) => {
        this.failure ??= error;
        this.close(); // the caller goes on alone (same results)
      });
      worker.postMessage({ memory, updates, scatters: scatters.map((parts) => parts[slot + 1]), control: this.control.buffer, slot });
      return worker;
    });
    collected.register(this, { control: this.control, workers: this.workers }, this);
  }

  /** Why the workers stopped, if one failed (the simulation then runs on the calling thread). */
  failure: Error | undefined;

  /** Whether every worker has instantiated its modules. */
  get ready(): boolean {
    if (!this.started) {
      for (let w = 0; w < this.workers.length; w++) if (Atomics.load(this.control, w * SLOT + READY) !== 1) return false;
      this.started = true;
    }
    return true;
  }

  /** Threads working now: all of them once the workers have started, 1 before and after close. */
  get active(): number {
    return !this.closed && this.ready ? this.threads : 1;
  }

  /** Resolves once every worker has started (polls; never blocks the thread). */
  async whenReady(): Promise<void> {
    while (!this.ready && !this.closed) await new Promise((resolve) => setTimeout(resolve, 1));
  }

  /** Hand task `kind` (0: update group `index` at `step` over worker w's slice of `cuts`; 1: scatter projection `index`, `step` spikes) to every worker, after any scatter left running. */
  private post(kind: number, index: number, step: number, cuts?: number[]): number {
    this.flush();
    const c = this.control;
    const seq = ++this.seq;
    for (let w = 0; w < this.workers.length; w++) {
      const at = w * SLOT;
      c[at + KIND] = kind;
      c[at + INDEX] = index;
      c[at + STEP] = step;
      if (cuts) {
        const from = cuts[w + 1] as number;
        c[at + FROM] = from;
        c[at + TO] = cuts[w + 2] as number;
        c[at + BASE] = 4 * from;
      }
      Atomics.store(c, at + SEQ, seq);
      if (Atomics.load(c, at + SLEEPING) === 1) Atomics.notify(c, at + SEQ);
    }
    return seq;
  }

  /** Wait for a scatter left running, if any (the simulation calls this at the end of advance()). */
  flush(): void {
    const seq = this.outstanding;
    if (seq === 0) return;
    this.outstanding = 0;
    for (let w = 0; w < this.workers.length; w++) this.join(w, seq);
  }

  /**
   * Wait until worker w has finished task `seq`: spin, then block (where this thread may). Past
   * `timeoutMs` of waiting (looked at every 256 rounds after the spins) the worker is taken for
   * dead: the workers are stopped and the simulation is broken (see `broken`).
   */
  private join(w: number, seq: number): void {
    const c = this.control;
    const at = w * SLOT;
    let spins = 0;
    let deadline = 0;
    let done: number;
    while ((done = Atomics.load(c, at + DONE)) !== seq) {
      if (++spins > SPINS) {
        if ((spins & 255) === 0) {
          const now = performance.now();
          if (deadline === 0) deadline = now + this.timeoutMs;
          else if (now > deadline) this.abandon(w);
        }
        if (this.canBlock) {
          Atomics.store(c, at + CALLER_SLEEPING, 1);
          try {
            Atomics.wait(c, at + DONE, done, 1);
          } catch {
            this.canBlock = false; // a browser's main thread may not block: spin only
          }
          Atomics.store(c, at + CALLER_SLEEPING, 0);
        }
      }
    }
    if (c[at + FAILED] === 1) throw new CajalError('INTERNAL', `simulation worker ${w + 1} failed`);
  }

  /** Worker w did not answer in time: stop the workers and break the simulation. */
  private abandon(w: number): never {
    this.broken = new CajalError('INTERNAL', `simulation worker ${w + 1} did not finish its part of a step within ${this.timeoutMs} ms (it may have died or been stopped); that step is half done, so this simulation cannot go on: compile the network again`);
    this.failure ??= this.broken;
    this.close(); // with a failure recorded, close() does not wait for the workers
    throw this.broken;
  }

  /** The update kernel of threaded group `index`: split across the threads, spikes in neuron order. */
  updateKernel(index: number, group: ThreadedGroup): (step: number) => number {
    const { cuts, update } = group;
    const padded = cuts[cuts.length - 1] as number;
    return (step) => {
      if (this.broken) throw this.broken;
      if (this.closed || !this.ready) return update(step, 0, padded, 0);
      const seq = this.post(0, index, step, cuts);
      let count = update(step, 0, cuts[1] as number, 0);
      const spikes = group.spikes;
      for (let w = 0; w < this.workers.length; w++) {
        this.join(w, seq);
        const from = cuts[w + 1] as number;
        const k = this.control[w * SLOT + COUNT] as number;
        if (k > 0) spikes.copyWithin(count, from, from + k);
        count += k;
      }
      return count;
    };
  }

  /**
   * The propagate kernel of split projection `index`: `parts[k]` scatters onto thread k's slice
   * of the targets; each thread runs its own part (the calling thread all of them until the
   * workers have started). With `overlap` this thread does not wait for the workers' parts:
   * it goes on with resets and monitors and waits before its next hand-over (or at the end of
   * advance()), which is safe when nothing in between reads or writes the scattered variables.
   */
  scatterKernel(index: number, parts: Array<(count: number) => void>, overlap = false): (step: number, spikes: Int32Array, count: number) => void {
    const own = parts[0] as (count: number) => void;
    return (_step, _spikes, count) => {
      if (this.broken) throw this.broken;
      if (count === 0) return;
      if (this.closed || !this.ready) {
        for (const part of parts) part(count);
        return;
      }
      const seq = this.post(1, index, count);
      own(count);
      if (overlap) this.outstanding = seq;
      else for (let w = 0; w < this.workers.length; w++) this.join(w, seq);
    };
  }

  /** Stop and terminate the workers (the kernels then run on the calling thread alone). */
  close(): void {
    if (this.closed) return;
    if (!this.failure) this.flush();
    this.closed = true;
    collected.unregister(this);
    stopWorkers(this.control, this.workers);
  }
}

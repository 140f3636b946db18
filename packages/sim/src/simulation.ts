import {
  CajalError, type LongOperationOptions, type Random, type Recording, type SpikeTrains, createRandom, createRecording, throttleProgress, throwIfAborted,
} from '@cajal/core';
import type { GroupInstance, MonitorInstance, NetworkInstance } from './build.ts';
import type { StateArray } from './precision.ts';
import { formatDimension } from './units.ts';

/**
 * A compiled network ready to run. `run` advances biological time (seconds) in chunks,
 * reporting progress and honouring an AbortSignal between chunks; `advance` steps
 * synchronously (for closed-loop experiments that read spikes and deliver reward).
 *
 * @example
 *   const sim = compileNetwork(coba(), 'js');
 *   await sim.run(1.0, { onProgress: (p) => bar.update(p.done / p.total) });
 *   const trains = sim.monitors.spikes['spikes_P_0'];
 */
export interface Simulation {
  readonly backend: string;
  readonly instance: NetworkInstance;
  readonly dtSeconds: number;
  /** Steps done so far. */
  readonly stepIndex: number;
  /** Presynaptic spikes delivered times synapses reached (pathways counted once). */
  readonly synapticEvents: number;
  run(durationSeconds: number, options?: LongOperationOptions): Promise<void>;
  advance(stepCount: number): void;
  /** Everything recorded so far, as core types. */
  readonly monitors: MonitorOutputs;
  /** The live array of a group's per-neuron value (SI units; Float32Array in single precision). */
  variable(group: string, name: string): StateArray;
  /** The live weights of a projection. */
  weights(projection: string): Float32Array;
  /** Neurons of `group` that spiked in the last step. */
  lastSpikes(group: string): Int32Array;
  /** Add dopamine to a projection with a dopamine_stdp rule. */
  reward(projection: string, amount: number): void;
  /**
   * Resolves when the backend's helper threads (wasm with `threads` > 1) have started; until then
   * the calling thread does all the work (same results). Resolves at once without threads.
   */
  ready(): Promise<void>;
  /** Stop helper threads, if any (the simulation can still run, on one thread). */
  close(): void;
  /** Threads working on the neuron updates now: 1 unless the wasm backend's workers are running. */
  readonly threads: number;
}

/** Monitor outputs by monitor name. */
export interface MonitorOutputs {
  spikes: Record<string, SpikeTrains>;
  state: Record<string, Recording>;
  rate: Record<string, Recording>;
}

/** What a backend supplies: per-group update and reset, per-projection propagation. */
export interface Kernels {
  /** Integrate one step and test thresholds; fills group.spikes, returns the count. */
  update: Array<(step: number) => number>;
  /** Apply reset statements to the first `count` entries of group.spikes. */
  reset: Array<(count: number) => void>;
  /** Deliver due delayed effects and this step's spikes of the source group. */
  propagate: Array<(step: number, spikes: Int32Array, count: number) => void>;
  /** Helper threads working beside the step loop, if the backend runs any (wasm with threads > 1). */
  helpers?: KernelHelpers;
}

/** What the step loop needs of a backend's helper threads (wasm-threads.ts UpdateThreads). */
export interface KernelHelpers {
  /** Threads working on the updates now (1 before the helpers start and after close). */
  readonly active: number;
  /** Resolves when the helpers have started. */
  whenReady(): Promise<void>;
  /** Complete work the helpers were left doing (a scatter); called at the end of every advance(). */
  flush(): void;
  /** Stop the helpers. */
  close(): void;
}

class Growable {
  data: Int32Array | Float32Array;
  length = 0;
  constructor(readonly float: boolean) {
    this.data = float ? new Float32Array(1024) : new Int32Array(1024);
  }
  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = this.float ? new Float32Array(this.data.length * 2) : new Int32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }
  view(): Int32Array | Float32Array {
    return this.data.subarray(0, this.length);
  }
}

const unitScale = (dimension: string): [string, number] =>
  dimension === 'volt' ? ['mV', 1e3] : dimension === 'siemens' ? ['nS', 1e9] : dimension === 'amp' ? ['pA', 1e12] : dimension === 'second' ? ['ms', 1e3] : [dimension === '1' ? '' : dimension, 1];

/** The shared step loop; backends differ only in the kernels they supply. */
export class KernelSimulation implements Simulation {
  readonly dtSeconds: number;
  stepIndex = 0;
  synapticEvents = 0;
  private readonly kernels: Kernels;
  private readonly spikeSteps = new Map<string, Growable>();
  private readonly spikeNeurons = new Map<string, Growable>();
  private readonly rateCounts = new Map<string, Growable>();
  private readonly stateSamples = new Map<string, Growable[]>();

  constructor(readonly backend: string, readonly instance: NetworkInstance, makeKernels: (random: Random) => Kernels) {
    this.dtSeconds = instance.dtSeconds;
    this.random = createRandom(instance.runtimeSeed);
    this.kernels = makeKernels(this.random);
    for (const m of instance.monitors) {
      if (m.kind === 'spikes') {
        this.spikeSteps.set(m.name, new Growable(false));
        this.spikeNeurons.set(m.name, new Growable(false));
      } else if (m.kind === 'rate') this.rateCounts.set(m.name, new Growable(true));
      else this.stateSamples.set(m.name, m.variables.flatMap(() => Array.from(m.indices, () => new Growable(true))));
    }
  }

  private readonly random: Random;

  advance(stepCount: number): void {
    const { groups, projections, monitors } = this.instance;
    const { reset, propagate } = this.kernels;
    const end = this.stepIndex + stepCount;
    for (let step = this.stepIndex; step < end; step++) {
      for (const m of monitors) if (m.kind === 'state' && step % m.intervalSteps === 0) this.sampleState(m);
      for (const g of groups) g.spikeCount = this.updateGroup(g, step);
      for (let p = 0; p < projections.length; p++) {
        const projection = projections[p] as (typeof projections)[number];
        const source = groups[projection.source] as GroupInstance;
        (propagate[p] as Kernels['propagate'][number])(step, source.spikes, source.spikeCount);
        if (source.spikeCount > 0) {
          let events = 0;
          for (let n = 0; n < source.spikeCount; n++) {
            const j = source.spikes[n] as number;
            events += (projection.rowStart[j + 1] as number) - (projection.rowStart[j] as number);
          }
          this.synapticEvents += events;
        }
      }
      for (const projection of projections) {
        if (!projection.plasticity) continue;
        const source = groups[projection.source] as GroupInstance;
        const target = groups[projection.target] as GroupInstance;
        if (source.spikeCount > 0) projection.plasticity.onPreSpikes(source.spikes, source.spikeCount);
        if (target.spikeCount > 0) projection.plasticity.onPostSpikes(target.spikes, target.spikeCount);
      }
      for (const g of groups) if (g.spikeCount > 0 && g.kind === 'neurons') (reset[g.index] as Kernels['reset'][number])(g.spikeCount);
      for (const projection of projections) projection.plasticity?.advance(step);
      for (const m of monitors) {
        const g = groups[m.group] as GroupInstance;
        if (m.kind === 'spikes') {
          const steps = this.spikeSteps.get(m.name) as Growable;
          const neurons = this.spikeNeurons.get(m.name) as Growable;
          for (let n = 0; n < g.spikeCount; n++) {
            steps.push(step);
            neurons.push(g.spikes[n] as number);
          }
        } else if (m.kind === 'rate') (this.rateCounts.get(m.name) as Growable).push(g.spikeCount / (g.size * this.dtSeconds));
      }
    }
    this.kernels.helpers?.flush();
    this.stepIndex = end;
  }

  private updateGroup(g: GroupInstance, step: number): number {
    if (g.kind === 'neurons') return (this.kernels.update[g.index] as Kernels['update'][number])(step);
    let count = 0;
    if (g.kind === 'poisson') {
      const p = g.spikeProbability as Float64Array;
      for (let i = 0; i < g.size; i++) if (this.random.uniform() < (p[i] as number)) g.spikes[count++] = i;
      return count;
    }
    const schedule = g.schedule as { steps: Int32Array; neurons: Int32Array };
    // Binary search for this step's first scheduled spike.
    let low = 0;
    let high = schedule.steps.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if ((schedule.steps[mid] as number) < step) low = mid + 1;
      else high = mid;
    }
    for (let k = low; k < schedule.steps.length && schedule.steps[k] === step; k++) g.spikes[count++] = schedule.neurons[k] as number;
    return count;
  }

  private sampleState(m: Extract<MonitorInstance, { kind: 'state' }>): void {
    const g = this.instance.groups[m.group] as GroupInstance;
    const samples = this.stateSamples.get(m.name) as Growable[];
    let c = 0;
    for (const v of m.variables) {
      const values = g.variables.get(v) as StateArray;
      for (const i of m.indices) (samples[c++] as Growable).push(values[i] as number);
    }
  }

  async run(durationSeconds: number, options: LongOperationOptions = {}): Promise<void> {
    const total = Math.round(durationSeconds / this.dtSeconds);
    const progress = throttleProgress(options.onProgress);
    const chunk = Math.max(1, Math.round(0.01 / this.dtSeconds));
    let done = 0;
    let lastYield = Date.now();
    while (done < total) {
      throwIfAborted(options.signal, 'simulation');
      const n = Math.min(chunk, total - done);
      this.advance(n);
      done += n;
      progress({ done, total, stage: 'simulating' });
      if (Date.now() - lastYield > 100) {
        // let timers, Ctrl-C and worker messages through
        await new Promise((resolve) => setTimeout(resolve, 0));
        lastYield = Date.now();
      }
    }
    progress({ done: total, total, stage: 'simulating' });
  }

  get monitors(): MonitorOutputs {
    const out: MonitorOutputs = { spikes: {}, state: {}, rate: {} };
    const duration = this.stepIndex * this.dtSeconds;
    for (const m of this.instance.monitors) {
      const g = this.instance.groups[m.group] as GroupInstance;
      if (m.kind === 'spikes') {
        const steps = (this.spikeSteps.get(m.name) as Growable).view();
        const times = new Float64Array(steps.length);
        for (let k = 0; k < steps.length; k++) times[k] = (steps[k] as number) * this.dtSeconds;
        out.spikes[m.name] = { neuronCount: g.size, durationSeconds: duration, neuron: Int32Array.from((this.spikeNeurons.get(m.name) as Growable).view()), timesSeconds: times, label: g.name };
      } else if (m.kind === 'rate') {
        const samples = Float32Array.from((this.rateCounts.get(m.name) as Growable).view());
        out.rate[m.name] = createRecording({ format: 'sim', source: m.name, channels: [{ label: `${g.name} rate`, unit: 'Hz', sampleRateHz: 1 / this.dtSeconds, sampleCount: samples.length, type: 'model', samples }] });
      } else {
        const samples = this.stateSamples.get(m.name) as Growable[];
        let c = 0;
        const channels = m.variables.flatMap((v) => {
          const [unit, scale] = unitScale(formatDimension(g.model?.variables.get(v) ?? [0, 0, 0, 0]));
          return Array.from(m.indices, (i) => {
            const data = Float32Array.from((samples[c++] as Growable).view(), (x) => x * scale);
            return { label: `${v}[${i}]`, unit, sampleRateHz: 1 / (m.intervalSteps * this.dtSeconds), sampleCount: data.length, type: 'model' as const, samples: data };
          });
        });
        out.state[m.name] = createRecording({ format: 'sim', source: m.name, channels });
      }
    }
    return out;
  }

  private group(name: string): GroupInstance {
    const g = this.instance.groups.find((x) => x.name === name);
    if (!g) throw new CajalError('NOT_FOUND', `no group named "${name}"`, { field: 'group' });
    return g;
  }

  variable(group: string, name: string): StateArray {
    const values = this.group(group).variables.get(name);
    if (!values) throw new CajalError('NOT_FOUND', `group "${group}" has no variable "${name}"`, { field: name });
    return values;
  }

  weights(projection: string): Float32Array {
    const p = this.instance.projections.find((x) => x.name === projection);
    if (!p?.weights) throw new CajalError('NOT_FOUND', `no synapses "${projection}" with weights`, { field: 'projection' });
    return p.weights;
  }

  lastSpikes(group: string): Int32Array {
    const g = this.group(group);
    return g.spikes.subarray(0, g.spikeCount);
  }

  async ready(): Promise<void> {
    await this.kernels.helpers?.whenReady();
  }

  close(): void {
    this.kernels.helpers?.close();
  }

  get threads(): number {
    return this.kernels.helpers?.active ?? 1;
  }

  reward(projection: string, amount: number): void {
    const p = this.instance.projections.find((x) => x.name === projection);
    if (!p?.plasticity) throw new CajalError('NOT_FOUND', `no plastic synapses "${projection}"`, { field: 'projection' });
    p.plasticity.reward(amount);
  }
}

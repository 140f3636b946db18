import { CajalError } from './errors.ts';

/**
 * Spike trains of a population, stored flat: spike k was fired by neuron `neuron[k]` at
 * `timesSeconds[k]`, sorted by time. Simulators, spike sorters and data readers all produce
 * this, and `signal` analyses it.
 */
export interface SpikeTrains {
  /** Number of neurons in the population (indices 0..neuronCount-1). */
  neuronCount: number;
  /** Observation window in seconds (for rates: spikes / durationSeconds). */
  durationSeconds: number;
  neuron: Int32Array;
  timesSeconds: Float64Array;
  /** Optional population labels, e.g. "excitatory". */
  label?: string;
}

/**
 * Build SpikeTrains from parallel arrays, sorting by time if needed.
 *
 * @example
 *   createSpikeTrains(2, 1.0, [0, 1, 0], [0.1, 0.2, 0.5]);
 */
export function createSpikeTrains(
  neuronCount: number,
  durationSeconds: number,
  neuron: ArrayLike<number>,
  timesSeconds: ArrayLike<number>,
  label?: string,
): SpikeTrains {
  if (neuron.length !== timesSeconds.length) {
    throw new CajalError('INVALID_ARGUMENT', `spike arrays differ in length (${neuron.length} vs ${timesSeconds.length})`);
  }
  const order = Array.from({ length: neuron.length }, (_, i) => i);
  order.sort((a, b) => (timesSeconds[a] as number) - (timesSeconds[b] as number));
  const n = new Int32Array(order.length);
  const t = new Float64Array(order.length);
  order.forEach((source, target) => {
    const id = neuron[source] as number;
    if (id < 0 || id >= neuronCount) {
      throw new CajalError('INVALID_ARGUMENT', `spike ${source} names neuron ${id}, outside 0..${neuronCount - 1}`);
    }
    n[target] = id;
    t[target] = timesSeconds[source] as number;
  });
  return { neuronCount, durationSeconds, neuron: n, timesSeconds: t, ...(label !== undefined ? { label } : {}) };
}

/** Spike times of each neuron, as one Float64Array per neuron. */
export function spikeTimesByNeuron(trains: SpikeTrains): Float64Array[] {
  const counts = new Int32Array(trains.neuronCount);
  for (let k = 0; k < trains.neuron.length; k++) counts[trains.neuron[k] as number]++;
  const out = Array.from(counts, (c) => new Float64Array(c));
  const filled = new Int32Array(trains.neuronCount);
  for (let k = 0; k < trains.neuron.length; k++) {
    const id = trains.neuron[k] as number;
    (out[id] as Float64Array)[filled[id]++] = trains.timesSeconds[k] as number;
  }
  return out;
}

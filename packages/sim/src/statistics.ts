import { CajalError, type SpikeTrains, spikeTimesByNeuron } from '@cajal/core';

/**
 * Spike-train statistics. Definitions follow ../shared/peers/brian2_coba.py where they
 * overlap (mean CV over neurons with >= 3 spikes, population variance of the ISIs).
 *
 * @example
 *   const s = summarizeSpikes(trains); // { mean_rate_hz, mean_cv_isi, ... }
 */
export interface SpikeSummary {
  neuron_count: number;
  duration_seconds: number;
  total_spikes: number;
  /** Spikes / (neurons * duration), Hz. */
  mean_rate_hz: number;
  /** Mean over neurons with >= 3 spikes of std(ISI)/mean(ISI); NaN when none. */
  mean_cv_isi: number;
  neurons_with_cv: number;
}

/** Rate (Hz) of every neuron. */
export function firingRates(trains: SpikeTrains): Float64Array {
  const rates = new Float64Array(trains.neuronCount);
  for (let k = 0; k < trains.neuron.length; k++) rates[trains.neuron[k] as number]++;
  for (let i = 0; i < rates.length; i++) rates[i] = (rates[i] as number) / trains.durationSeconds;
  return rates;
}

/** ISI coefficient of variation per neuron (NaN for neurons with fewer than `minimumSpikes`, default 3). */
export function isiCoefficientOfVariation(trains: SpikeTrains, minimumSpikes = 3): Float64Array {
  return Float64Array.from(spikeTimesByNeuron(trains), (times) => {
    if (times.length < minimumSpikes) return Number.NaN;
    let sum = 0;
    let sumSquares = 0;
    for (let k = 1; k < times.length; k++) {
      const isi = (times[k] as number) - (times[k - 1] as number);
      sum += isi;
      sumSquares += isi * isi;
    }
    const n = times.length - 1;
    const mean = sum / n;
    return Math.sqrt(Math.max(0, sumSquares / n - mean * mean)) / mean;
  });
}

/** Rate and CV summary of a population. */
export function summarizeSpikes(trains: SpikeTrains): SpikeSummary {
  const cv = isiCoefficientOfVariation(trains).filter((x) => !Number.isNaN(x));
  return {
    neuron_count: trains.neuronCount,
    duration_seconds: trains.durationSeconds,
    total_spikes: trains.neuron.length,
    mean_rate_hz: trains.neuron.length / (trains.neuronCount * trains.durationSeconds),
    mean_cv_isi: cv.length ? cv.reduce((a, b) => a + b, 0) / cv.length : Number.NaN,
    neurons_with_cv: cv.length,
  };
}

/** Spike counts per neuron (rows) and time bin (columns), bins of `binSeconds`. */
export function binSpikeCounts(trains: SpikeTrains, binSeconds: number): { counts: Float64Array[]; binCount: number } {
  if (!(binSeconds > 0)) throw new CajalError('INVALID_ARGUMENT', `bin width ${binSeconds} s must be positive`, { field: 'binSeconds' });
  const binCount = Math.max(1, Math.floor(trains.durationSeconds / binSeconds + 1e-9));
  const counts = Array.from({ length: trains.neuronCount }, () => new Float64Array(binCount));
  for (let k = 0; k < trains.neuron.length; k++) {
    const b = Math.floor((trains.timesSeconds[k] as number) / binSeconds);
    if (b < binCount) (counts[trains.neuron[k] as number] as Float64Array)[b]++;
  }
  return { counts, binCount };
}

const variance = (x: Float64Array): { mean: number; variance: number } => {
  let m = 0;
  for (const v of x) m += v;
  m /= x.length;
  let s = 0;
  for (const v of x) s += (v - m) * (v - m);
  return { mean: m, variance: s / x.length };
};

/** Mean Fano factor (variance/mean of spike counts in `binSeconds` windows) over neurons that spiked. */
export function fanoFactor(trains: SpikeTrains, binSeconds: number): number {
  const { counts } = binSpikeCounts(trains, binSeconds);
  const values = counts.map(variance).filter((s) => s.mean > 0).map((s) => s.variance / s.mean);
  return values.length ? values.reduce((a, b) => a + b, 0) / values.length : Number.NaN;
}

/** Mean Pearson correlation of binned spike counts over up to `maxPairs` neuron pairs (spiking neurons only). */
export function meanPairwiseCorrelation(trains: SpikeTrains, binSeconds: number, maxPairs = 2000): number {
  const { counts } = binSpikeCounts(trains, binSeconds);
  const active = counts.filter((c) => variance(c).variance > 0);
  const stats = active.map(variance);
  let sum = 0;
  let pairs = 0;
  outer: for (let a = 0; a < active.length; a++) {
    for (let b = a + 1; b < active.length; b++) {
      const x = active[a] as Float64Array;
      const y = active[b] as Float64Array;
      const sx = stats[a] as { mean: number; variance: number };
      const sy = stats[b] as { mean: number; variance: number };
      let c = 0;
      for (let k = 0; k < x.length; k++) c += ((x[k] as number) - sx.mean) * ((y[k] as number) - sy.mean);
      sum += c / x.length / Math.sqrt(sx.variance * sy.variance);
      if (++pairs >= maxPairs) break outer;
    }
  }
  return pairs ? sum / pairs : Number.NaN;
}

/**
 * Golomb's synchrony measure chi (Golomb 2007): variance of the population-averaged
 * activity over the mean variance of single neurons, on spike counts in `binSeconds` bins;
 * sqrt of that ratio. 0 for asynchronous, 1 for fully synchronous.
 */
export function synchronyChi(trains: SpikeTrains, binSeconds: number): number {
  const { counts, binCount } = binSpikeCounts(trains, binSeconds);
  const population = new Float64Array(binCount);
  let single = 0;
  for (const c of counts) {
    for (let k = 0; k < binCount; k++) population[k] += (c[k] as number) / counts.length;
    single += variance(c).variance;
  }
  single /= counts.length;
  return single > 0 ? Math.sqrt(variance(population).variance / single) : Number.NaN;
}

/**
 * Power spectrum of a signal (mean removed, radix-2 FFT of the zero-padded series):
 * frequencies (Hz) and power. Hand-written so `sim` needs no DSP dependency.
 */
export function powerSpectrum(samples: ArrayLike<number>, sampleRateHz: number): { frequencies: Float64Array; power: Float64Array } {
  let size = 1;
  while (size < samples.length) size *= 2;
  const re = new Float64Array(size);
  const im = new Float64Array(size);
  let mean = 0;
  for (let k = 0; k < samples.length; k++) mean += samples[k] as number;
  mean /= Math.max(1, samples.length);
  for (let k = 0; k < samples.length; k++) re[k] = (samples[k] as number) - mean;
  for (let i = 1, j = 0; i < size; i++) {
    let bit = size >> 1;
    for (; j & bit; bit >>= 1) j ^= bit;
    j ^= bit;
    if (i < j) {
      [re[i], re[j]] = [re[j] as number, re[i] as number];
      [im[i], im[j]] = [im[j] as number, im[i] as number];
    }
  }
  for (let length = 2; length <= size; length <<= 1) {
    const angle = (-2 * Math.PI) / length;
    for (let start = 0; start < size; start += length) {
      for (let k = 0; k < length / 2; k++) {
        const wr = Math.cos(angle * k);
        const wi = Math.sin(angle * k);
        const a = start + k;
        const b = a + length / 2;
        const xr = (re[b] as number) * wr - (im[b] as number) * wi;
        const xi = (re[b] as number) * wi + (im[b] as number) * wr;
        re[b] = (re[a] as number) - xr;
        im[b] = (im[a] as number) - xi;
        re[a] += xr;
        im[a] += xi;
      }
    }
  }
  const half = size / 2 + 1;
  const frequencies = new Float64Array(half);
  const power = new Float64Array(half);
  for (let k = 0; k < half; k++) {
    frequencies[k] = (k * sampleRateHz) / size;
    power[k] = ((re[k] as number) ** 2 + (im[k] as number) ** 2) / size;
  }
  return { frequencies, power };
}

/** Population rate (Hz) of spike trains in bins of `binSeconds`. */
export function populationRate(trains: SpikeTrains, binSeconds: number): Float64Array {
  const bins = Math.max(1, Math.round(trains.durationSeconds / binSeconds));
  const rate = new Float64Array(bins);
  for (let k = 0; k < trains.timesSeconds.length; k++) {
    const b = Math.floor((trains.timesSeconds[k] as number) / binSeconds + 1e-9);
    if (b < bins) rate[b]++;
  }
  for (let b = 0; b < bins; b++) rate[b] = (rate[b] as number) / (trains.neuronCount * binSeconds);
  return rate;
}

/** The frequency (Hz) of the largest power within [lowHz, highHz], and that power over the band's median. */
export function spectralPeak(samples: ArrayLike<number>, sampleRateHz: number, lowHz: number, highHz: number): { frequency_hz: number; peak_to_median: number } {
  const { frequencies, power } = powerSpectrum(samples, sampleRateHz);
  let best = -1;
  const inBand: number[] = [];
  for (let k = 0; k < frequencies.length; k++) {
    const f = frequencies[k] as number;
    if (f < lowHz || f > highHz) continue;
    inBand.push(power[k] as number);
    if (best < 0 || (power[k] as number) > (power[best] as number)) best = k;
  }
  if (best < 0) throw new CajalError('INVALID_ARGUMENT', `no frequencies in [${lowHz}, ${highHz}] Hz`, { field: 'band' });
  inBand.sort((a, b) => a - b);
  const median = inBand[Math.floor(inBand.length / 2)] as number;
  return { frequency_hz: frequencies[best] as number, peak_to_median: (power[best] as number) / median };
}

import { analyzeChannel, analyzeChannels } from './channel-analysis.ts';
import { applyFirCascadeZeroPhaseMany, filterData, notchFilter, prepareFirCascade } from './filter.ts';
import type { PreparedFirCascade, Samples } from './filter.ts';
import { designFirFilter, designNotchFilter } from './fir.ts';
import { welch } from './welch.ts';
import type { WelchOptions } from './welch.ts';

/**
 * The functions a worker pool can run, by name. Inputs and outputs are structured-cloneable
 * (typed arrays travel as transferables), so the same table serves worker_threads, Web
 * Workers and the in-process pool.
 */
export const poolTasks = {
  analyzeChannel,
  analyzeChannels,
  filterChannel: (input: { samples: Samples; sfreq: number; lFreq: number | null; hFreq: number | null; notch?: number[] }): Samples => {
    let y = filterData(input.samples, input.sfreq, input.lFreq, input.hFreq);
    if (input.notch && input.notch.length > 0) y = notchFilter(y, input.sfreq, input.notch);
    return y;
  },
  welchChannel: (input: { samples: Samples; sfreq: number; options?: WelchOptions }) => welch(input.samples, input.sfreq, input.options),
  /**
   * Band-pass then notch (MNE FIR defaults, each stage padded the MNE way) of several channels of
   * one length in one pass, two channels per complex FFT; float32 outputs.
   */
  filterChannels: (input: { channels: Samples[]; sfreq: number; bandpass: [number, number] | null; notch: number[] }): Samples[] => {
    const n = input.channels[0]?.length ?? 0;
    const key = `${input.sfreq}:${n}:${input.bandpass?.join('-') ?? ''}:${input.notch.join(',')}`;
    let cascade = cascades.get(key);
    if (!cascade) {
      const stages: Float64Array[] = [];
      if (input.bandpass) stages.push(designFirFilter(input.sfreq, input.bandpass[0], input.bandpass[1]).coefficients);
      if (input.notch.length > 0) stages.push(designNotchFilter(input.sfreq, input.notch).coefficients);
      if (stages.length === 0) return input.channels.map((c) => Float32Array.from(c));
      cascade = prepareFirCascade(stages, n);
      if (cascades.size > 8) cascades.clear();
      cascades.set(key, cascade);
    }
    return applyFirCascadeZeroPhaseMany(input.channels, cascade, { output: 'float32' });
  },
};

const cascades = new Map<string, PreparedFirCascade>();

export type PoolTaskName = keyof typeof poolTasks;
export type PoolTaskInput<K extends PoolTaskName> = Parameters<(typeof poolTasks)[K]>[0];
export type PoolTaskOutput<K extends PoolTaskName> = ReturnType<(typeof poolTasks)[K]>;

/** Run a task by name (what a worker does with each message). */
export function runPoolTask<K extends PoolTaskName>(name: K, input: PoolTaskInput<K>): PoolTaskOutput<K> {
  const task = poolTasks[name] as (input: PoolTaskInput<K>) => PoolTaskOutput<K>;
  return task(input);
}

/** Typed-array buffers inside a value, for zero-copy transfer. */
export function collectTransferables(value: unknown, out: ArrayBuffer[] = [], seen = new Set<unknown>()): ArrayBuffer[] {
  if (value === null || typeof value !== 'object' || seen.has(value)) return out;
  seen.add(value);
  if (ArrayBuffer.isView(value)) {
    const buffer = value.buffer;
    if (buffer instanceof ArrayBuffer && !out.includes(buffer) && value.byteLength === buffer.byteLength) out.push(buffer);
    return out;
  }
  for (const item of Object.values(value as Record<string, unknown>)) collectTransferables(item, out, seen);
  return out;
}

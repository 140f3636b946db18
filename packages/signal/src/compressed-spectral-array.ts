/**
 * The compressed spectral array (CSA) of a recording: for each window (default 2 s) the Welch
 * power spectrum (1-s Hann segments, half overlap), averaged over channels, in dB, up to
 * `maxFrequencyHz` (default 40 Hz). At most `maxColumns` windows, evenly spaced, so an
 * overnight recording stays small. Channels come one at a time (an iterable or async
 * iterable), so a caller reading a file never holds more than one channel.
 */
import { CajalError, findChannel, throwIfAborted } from '@cajal/core';
import type { ChannelInfo } from '@cajal/core';
import type { Samples } from './filter.ts';
import { welch } from './welch.ts';

/** A CSA: `powerDb[window][frequency]` in dB (10 log10 of unit^2/Hz, rounded to 0.01 dB). */
export interface CompressedSpectralArray {
  /** Start of each window, seconds from the first sample. */
  timesSeconds: number[];
  frequenciesHz: number[];
  /** powerDb[window][frequency], 10*log10(unit^2/Hz). */
  powerDb: number[][];
}

/** Options of {@link computeCompressedSpectralArray}. */
export interface CompressedSpectralArrayOptions {
  /** Window length in seconds (default 2). */
  windowSeconds?: number;
  /** Highest frequency kept, Hz (default 40). */
  maxFrequencyHz?: number;
  /** Most windows returned (default 1800); longer recordings keep every k-th window. */
  maxColumns?: number;
  signal?: AbortSignal;
}

/**
 * The channels a CSA averages: the one labelled `channel` (exact, else case-insensitive), else
 * the EEG-typed channels (all channels when none is EEG), narrowed to the first one's rate.
 *
 * @example
 *   const picked = chooseSpectralArrayChannels(header.channels); // every EEG channel
 */
export function chooseSpectralArrayChannels<C extends ChannelInfo>(channels: C[], channel?: string): C[] {
  let picked = channel ? [findChannel(channels, channel)] : channels.filter((c) => c.type === 'eeg');
  if (picked.length === 0) picked = channels;
  const rate = picked[0]?.sampleRateHz ?? 0;
  if (!(rate > 0)) throw new CajalError('INVALID_ARGUMENT', 'the recording has no channel to compute a spectrogram from', { field: 'channel' });
  return picked.filter((c) => c.sampleRateHz === rate);
}

/**
 * Compute the CSA of channels sampled at `sampleRateHz`, averaging their linear power before
 * taking dB. The first channel's length sets the number of windows.
 *
 * @example
 *   const csa = await computeCompressedSpectralArray([cz, pz], 256, { maxFrequencyHz: 30 });
 *   csa.powerDb[0]; // the first 2-s window, one value per csa.frequenciesHz
 */
export async function computeCompressedSpectralArray(channels: Iterable<Samples> | AsyncIterable<Samples>, sampleRateHz: number, options: CompressedSpectralArrayOptions = {}): Promise<CompressedSpectralArray> {
  const windowSeconds = options.windowSeconds ?? 2;
  const maxFrequency = options.maxFrequencyHz ?? 40;
  const maxColumns = options.maxColumns ?? 1800;
  if (!(sampleRateHz > 0)) throw new CajalError('INVALID_ARGUMENT', `the sample rate must be positive, got ${sampleRateHz}`, { field: 'sampleRateHz' });
  const windowSamples = Math.round(windowSeconds * sampleRateHz);
  const segment = Math.max(8, Math.round(sampleRateHz));
  let columns: number[] | undefined;
  let frequencies: number[] = [];
  let sums: Float64Array[] = [];
  let channelCount = 0;
  for await (const samples of channels) {
    throwIfAborted(options.signal, 'spectrogram');
    if (!columns) {
      const windowCount = Math.floor(samples.length / windowSamples);
      if (windowCount < 1) throw new CajalError('INVALID_ARGUMENT', `the recording is shorter than one ${windowSeconds}-s window`, { field: 'windowSeconds' });
      const stride = Math.max(1, Math.ceil(windowCount / maxColumns));
      columns = [];
      for (let w = 0; w < windowCount; w += stride) columns.push(w);
    }
    const picked = columns;
    picked.forEach((w, column) => {
      const part = samples.subarray(w * windowSamples, (w + 1) * windowSamples);
      const spectrum = welch(part, sampleRateHz, { nperseg: Math.min(segment, part.length), window: 'hann' });
      if (frequencies.length === 0) {
        frequencies = Array.from(spectrum.frequencies).filter((f) => f <= maxFrequency);
        sums = picked.map(() => new Float64Array(frequencies.length));
      }
      const sum = sums[column] as Float64Array;
      for (let k = 0; k < frequencies.length; k++) sum[k] = (sum[k] as number) + (spectrum.power[k] as number);
    });
    channelCount++;
  }
  if (!columns) throw new CajalError('INVALID_ARGUMENT', 'no channel to compute a spectrogram from', { field: 'channel' });
  const powerDb = sums.map((sum) => Array.from(sum, (p) => Math.round(10 * Math.log10(p / channelCount + 1e-30) * 100) / 100));
  return { timesSeconds: columns.map((w) => w * windowSeconds), frequenciesHz: frequencies, powerDb };
}

/**
 * The compressed spectral array (CSA) over a whole recording: for each 2-s window the Welch
 * power spectrum (1-s Hann segments, half overlap, from `@cajal/signal`), averaged over the
 * chosen channels (default: all EEG channels), in dB, 0.5-40 Hz. At most `maxColumns` windows
 * (evenly spaced) so an overnight recording stays a small response.
 */
import { CajalError, findChannel } from '@cajal/core';
import type { OpenedRecording } from '@cajal/formats';
import { welch } from '@cajal/signal';

export interface Spectrogram {
  timesSeconds: number[];
  frequenciesHz: number[];
  /** powerDb[window][frequency], 10*log10(unit^2/Hz). */
  powerDb: number[][];
}

export interface SpectrogramOptions {
  /** One channel label, else the mean over EEG channels (or all channels when none is EEG). */
  channel?: string;
  windowSeconds?: number;
  maxFrequencyHz?: number;
  maxColumns?: number;
  signal?: AbortSignal;
}

/**
 * Compute the CSA of an opened recording.
 *
 * @example
 *   const csa = await computeSpectrogram(opened, { channel: 'Cz' });
 */
export async function computeSpectrogram(opened: OpenedRecording, options: SpectrogramOptions = {}): Promise<Spectrogram> {
  const windowSeconds = options.windowSeconds ?? 2;
  const maxFrequency = options.maxFrequencyHz ?? 40;
  const maxColumns = options.maxColumns ?? 1800;
  const header = opened.header;
  let channels = options.channel ? [findChannel(header.channels, options.channel)] : header.channels.filter((c) => c.type === 'eeg');
  if (channels.length === 0) channels = header.channels;
  const rate = channels[0]?.sampleRateHz ?? 0;
  channels = channels.filter((c) => c.sampleRateHz === rate);
  if (!(rate > 0)) throw new CajalError('INVALID_ARGUMENT', 'the recording has no channel to compute a spectrogram from', { field: 'channel' });
  const windowSamples = Math.round(windowSeconds * rate);
  const segment = Math.max(8, Math.round(rate));
  const windowCount = Math.floor((channels[0]?.sampleCount ?? 0) / windowSamples);
  if (windowCount < 1) throw new CajalError('INVALID_ARGUMENT', `the recording is shorter than one ${windowSeconds}-s window`, { field: 'windowSeconds' });
  const stride = Math.max(1, Math.ceil(windowCount / maxColumns));
  const columns: number[] = [];
  for (let w = 0; w < windowCount; w += stride) columns.push(w);
  let frequencies: number[] = [];
  let sums: Float64Array[] = [];
  for (const channel of channels) {
    if (options.signal?.aborted) throw new CajalError('ABORTED', 'spectrogram cancelled');
    const samples = await opened.readChannel(channel.label);
    columns.forEach((w, column) => {
      const part = samples.subarray(w * windowSamples, (w + 1) * windowSamples);
      const spectrum = welch(part, rate, { nperseg: Math.min(segment, part.length), window: 'hann' });
      if (frequencies.length === 0) {
        frequencies = Array.from(spectrum.frequencies).filter((f) => f <= maxFrequency);
        sums = columns.map(() => new Float64Array(frequencies.length));
      }
      const sum = sums[column] as Float64Array;
      for (let k = 0; k < frequencies.length; k++) sum[k] = (sum[k] as number) + (spectrum.power[k] as number);
    });
  }
  const powerDb = sums.map((sum) => Array.from(sum, (p) => Math.round(10 * Math.log10(p / channels.length + 1e-30) * 100) / 100));
  return { timesSeconds: columns.map((w) => w * windowSeconds), frequenciesHz: frequencies, powerDb };
}

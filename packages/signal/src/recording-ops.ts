import { CajalError, throttleProgress, throwIfAborted } from '@cajal/core';
import type { Channel, LongOperationOptions, Recording } from '@cajal/core';
import { applyFirZeroPhase, prepareFir } from './filter.ts';
import { designFirFilter, designNotchFilter } from './fir.ts';
import type { FirDesignOptions } from './fir.ts';
import { applyMontage } from './montage.ts';
import type { Montage } from './montage.ts';
import { resamplePoly } from './resample.ts';
import { psdArrayWelch, welch } from './welch.ts';
import type { PsdArrayWelchOptions, Spectrum, WelchOptions } from './welch.ts';

/**
 * Thin wrappers that apply the array functions to every (selected) channel of a `Recording`
 * and return a new Recording; the input is never modified.
 */

/** Which channels an operation touches: labels, or a predicate; default: every channel of type eeg/seeg/ecog. */
export type ChannelSelection = string[] | ((channel: Channel) => boolean);

function selected(channel: Channel, selection: ChannelSelection | undefined): boolean {
  if (!selection) return channel.type === 'eeg' || channel.type === 'seeg' || channel.type === 'ecog';
  if (Array.isArray(selection)) return selection.includes(channel.label);
  return selection(channel);
}

function mapChannels(recording: Recording, selection: ChannelSelection | undefined, options: LongOperationOptions, stage: string, transform: (channel: Channel) => Float32Array): Recording {
  const progress = throttleProgress(options.onProgress);
  const total = recording.channels.length;
  const channels = recording.channels.map((channel, i) => {
    throwIfAborted(options.signal, stage);
    const out = selected(channel, selection) ? { ...channel, samples: transform(channel) } : channel;
    progress({ done: i + 1, total, stage });
    return { ...out, sampleCount: out.samples.length };
  });
  return { ...recording, channels };
}

/**
 * Zero-phase FIR filter (MNE defaults) of the selected channels.
 *
 * @example
 *   const filtered = filterRecording(recording, 1, 40);
 */
export function filterRecording(recording: Recording, lFreq: number | null, hFreq: number | null, options: FirDesignOptions & LongOperationOptions & { channels?: ChannelSelection } = {}): Recording {
  const designs = new Map<number, ReturnType<typeof prepareFir>>();
  return mapChannels(recording, options.channels, options, 'filtering', (channel) => {
    let prepared = designs.get(channel.sampleRateHz);
    if (!prepared) {
      prepared = prepareFir(designFirFilter(channel.sampleRateHz, lFreq, hFreq, options).coefficients, channel.sampleCount);
      designs.set(channel.sampleRateHz, prepared);
    }
    return applyFirZeroPhase(channel.samples, prepared, new Float32Array(channel.sampleCount)) as Float32Array;
  });
}

/** MNE's default FIR notch at `freqs` (e.g. [50]) on the selected channels. */
export function notchRecording(recording: Recording, freqs: number[] = [50], options: LongOperationOptions & { channels?: ChannelSelection } = {}): Recording {
  return mapChannels(recording, options.channels, options, 'notch filtering', (channel) => {
    const usable = freqs.filter((f) => f < channel.sampleRateHz / 2 - 1);
    if (usable.length === 0) return channel.samples;
    const filter = designNotchFilter(channel.sampleRateHz, usable);
    return applyFirZeroPhase(channel.samples, filter.coefficients, new Float32Array(channel.sampleCount)) as Float32Array;
  });
}

/**
 * Re-reference or re-montage the selected channels (they must share one rate); channels not
 * selected are kept unchanged after them.
 *
 * @example
 *   const banana = rereference(recording, 'double-banana');
 */
export function rereference(recording: Recording, montage: Montage, options: { channels?: ChannelSelection } = {}): Recording {
  const chosen = recording.channels.filter((c) => selected(c, options.channels));
  const others = recording.channels.filter((c) => !selected(c, options.channels));
  return { ...recording, channels: [...applyMontage(chosen, montage), ...others] };
}

/** resample_poly(up, down) of the selected channels; their rate becomes rate * up / down. */
export function resampleRecording(recording: Recording, up: number, down: number, options: LongOperationOptions & { channels?: ChannelSelection } = {}): Recording {
  const out = mapChannels(recording, options.channels, options, 'resampling', (channel) => Float32Array.from(resamplePoly(channel.samples, up, down)));
  out.channels = out.channels.map((c, i) => (c.samples === recording.channels[i]!.samples ? c : { ...c, sampleRateHz: (c.sampleRateHz * up) / down }));
  return out;
}

/** One spectrum per selected channel. */
export interface RecordingPsd {
  labels: string[];
  spectra: Spectrum[];
}

/**
 * Welch PSD of the selected channels, with MNE's conventions (`convention: 'mne'`, the default:
 * Hamming, psd_array_welch options) or SciPy's (`convention: 'scipy'`, welch options).
 *
 * @example
 *   const { labels, spectra } = computePsdRecording(recording, { convention: 'mne', nFft: 512, nOverlap: 256 });
 */
export function computePsdRecording(recording: Recording, options: ({ convention?: 'mne' } & PsdArrayWelchOptions | { convention: 'scipy' } & WelchOptions) & LongOperationOptions & { channels?: ChannelSelection } = {}): RecordingPsd {
  const chosen = recording.channels.filter((c) => selected(c, options.channels));
  if (chosen.length === 0) throw new CajalError('INVALID_ARGUMENT', 'no channel selected for the PSD', { field: 'channels' });
  const progress = throttleProgress(options.onProgress);
  const spectra = chosen.map((channel, i) => {
    throwIfAborted(options.signal, 'PSD');
    const spectrum = options.convention === 'scipy' ? welch(channel.samples, channel.sampleRateHz, options) : psdArrayWelch(channel.samples, channel.sampleRateHz, options);
    progress({ done: i + 1, total: chosen.length, stage: 'PSD' });
    return spectrum;
  });
  return { labels: chosen.map((c) => c.label), spectra };
}

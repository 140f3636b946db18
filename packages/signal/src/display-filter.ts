/**
 * The display filters of an EEG review screen: second-order Butterworth high-pass and
 * low-pass (`butterSos`) and a notch (`iirNotchSos`, scipy.signal.iirnotch), applied forward
 * and backward (`sosfiltfilt`: zero phase, so a spike stays where it is; the magnitude is
 * squared, i.e. -6 dB at each cutoff). The edges are extended by odd reflection (3 s by
 * default, at most the signal length - 1), so a page fetched with a little padding shows no
 * transient. The web viewer draws with exactly this function, so what a reviewer sees filtered
 * is what an analysis filtering with the same settings gets.
 *
 * @example
 *   const shown = applyDisplayFilter(samples, 256, { highPassHz: 0.5, lowPassHz: 35, notchHz: 50 });
 */
import { butterSos, iirNotchSos, sosfiltfilt } from './iir.ts';
import type { Sos } from './iir.ts';
import type { Samples } from './filter.ts';

/** Display filter settings; an absent or non-positive frequency turns that filter off. */
export interface DisplayFilterSettings {
  /** High-pass cutoff, Hz (typical 0.5 or 1). */
  highPassHz?: number;
  /** Low-pass cutoff, Hz (typical 35 or 70). */
  lowPassHz?: number;
  /** Notch centre, Hz (50 or 60), quality factor 30 (about 1.7 Hz wide at 50 Hz). */
  notchHz?: number;
}

/** Quality factor of the display notch. */
export const displayNotchQuality = 30;

/**
 * The second-order sections the settings ask for at `sampleRateHz` (cutoffs at or above
 * Nyquist are skipped): high-pass, then low-pass, then notch.
 *
 * @example designDisplayFilter({ lowPassHz: 35 }, 256).length === 1
 */
export function designDisplayFilter(settings: DisplayFilterSettings, sampleRateHz: number): Sos {
  const nyquist = sampleRateHz / 2;
  const on = (hz: number | undefined): hz is number => hz !== undefined && hz > 0 && hz < nyquist;
  const sos: Sos = [];
  if (on(settings.highPassHz)) sos.push(...butterSos(2, settings.highPassHz, 'highpass', sampleRateHz));
  if (on(settings.lowPassHz)) sos.push(...butterSos(2, settings.lowPassHz, 'lowpass', sampleRateHz));
  if (on(settings.notchHz)) sos.push(...iirNotchSos(settings.notchHz, displayNotchQuality, sampleRateHz));
  return sos;
}

/**
 * Filter `samples` forward-backward with the display filters. `reflectSamples` (default 3 s
 * worth, at most the length - 1) of odd reflection pad each end. Returns a new Float32Array of
 * the same length, or `samples` itself when no filter is on or there are fewer than 2 samples.
 *
 * @example applyDisplayFilter(page, 200, { highPassHz: 1, lowPassHz: 70 })
 */
export function applyDisplayFilter(samples: Samples, sampleRateHz: number, settings: DisplayFilterSettings, reflectSamples?: number): Samples {
  const sos = designDisplayFilter(settings, sampleRateHz);
  if (sos.length === 0 || samples.length < 2) return samples;
  const padlen = Math.max(0, Math.min(samples.length - 1, Math.round(reflectSamples ?? 3 * sampleRateHz)));
  return Float32Array.from(sosfiltfilt(sos, samples, { padlen }));
}

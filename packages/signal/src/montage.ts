import { CajalError } from '@cajal/core';
import type { Channel } from '@cajal/core';
import { electrodePosition, normalizeElectrodeLabel } from './positions.ts';
import { applyMontageRows, deriveMontageRows, doubleBananaPairs, electrodeIndex, linkedReferencePair, transversePairs } from './montage-rows.ts';

/**
 * Montages and references on channels of one rate: as recorded, common average, linked
 * (ears/mastoids), bipolar double banana and transverse, custom bipolar pairs, and a
 * nearest-neighbour surface Laplacian on the standard positions.
 */
export type Montage =
  | 'as-recorded'
  | 'average'
  | 'linked-ears'
  | 'linked-mastoids'
  | 'double-banana'
  | 'transverse'
  | 'laplacian'
  | { bipolar: Array<[string, string]> }
  | { linked: [string, string] };

/** Parse a CLI montage name: as-recorded, average, linked-ears, linked-mastoids, double-banana, transverse, laplacian. */
export function parseMontage(name: string): Montage {
  const known = ['as-recorded', 'average', 'linked-ears', 'linked-mastoids', 'double-banana', 'transverse', 'laplacian'];
  const normalized = name.trim().toLowerCase().replace(/[_ ]/g, '-');
  if (normalized === 'bipolar') return 'double-banana';
  if (normalized === 'car' || normalized === 'common-average') return 'average';
  if (!known.includes(normalized)) throw new CajalError('INVALID_ARGUMENT', `unknown montage "${name}" (known: ${known.join(', ')})`, { field: 'montage' });
  return normalized as Montage;
}

function derived(template: Channel, label: string, samples: Float32Array): Channel {
  return { ...template, label, samples, sampleCount: samples.length };
}

function checkRates(channels: Channel[]): void {
  const first = channels[0];
  if (!first) throw new CajalError('INVALID_ARGUMENT', 'no channels to re-reference', { field: 'channels' });
  for (const c of channels) {
    if (c.sampleRateHz !== first.sampleRateHz || c.sampleCount !== first.sampleCount) {
      throw new CajalError('INVALID_ARGUMENT', `channel ${c.label} (${c.sampleRateHz} Hz, ${c.sampleCount} samples) differs from ${first.label}; re-reference channels of one rate and length`, { field: 'channels' });
    }
  }
}

/** Bipolar derivations through the montage rows (one implementation with the viewer's). */
function bipolar(channels: Channel[], pairs: Array<[string, string]>): Channel[] {
  const rows = deriveMontageRows({ bipolar: pairs }, channels);
  if (rows.length === 0) throw new CajalError('INVALID_ARGUMENT', `none of the bipolar pairs could be formed from channels ${channels.map((c) => c.label).join(', ')}`, { field: 'montage' });
  const traces = applyMontageRows(rows, channels.map((c) => c.samples));
  return rows.map((row, i) => derived(channels[(row.terms[0] as { index: number }).index] as Channel, row.label, traces[i] as Float32Array));
}

/**
 * Apply a montage to channels of one rate (EEG channels; pick them first). Returns new channels.
 *
 * @example
 *   const banana = applyMontage(recording.channels, 'double-banana');
 *   const car = applyMontage(recording.channels, 'average');
 */
export function applyMontage(channels: Channel[], montage: Montage, options: { laplacianNeighbours?: number } = {}): Channel[] {
  if (montage === 'as-recorded') return channels;
  checkRates(channels);
  const n = (channels[0] as Channel).sampleCount;
  if (montage === 'average') {
    const mean = new Float64Array(n);
    for (const c of channels) for (let t = 0; t < n; t++) mean[t] += c.samples[t];
    for (let t = 0; t < n; t++) mean[t] /= channels.length;
    return channels.map((c) => derived(c, c.label, Float32Array.from(c.samples, (v, t) => v - mean[t])));
  }
  if (montage === 'double-banana') return bipolar(channels, doubleBananaPairs);
  if (montage === 'transverse') return bipolar(channels, transversePairs);
  if (typeof montage === 'object' && 'bipolar' in montage) return bipolar(channels, montage.bipolar);
  if (montage === 'linked-ears' || montage === 'linked-mastoids' || (typeof montage === 'object' && 'linked' in montage)) {
    const pair = linkedReferencePair(montage);
    const index = electrodeIndex(channels);
    const ia = index.get(normalizeElectrodeLabel(pair[0]) ?? pair[0]);
    const ib = index.get(normalizeElectrodeLabel(pair[1]) ?? pair[1]);
    if (ia === undefined || ib === undefined) throw new CajalError('NOT_FOUND', `linked reference needs channels ${pair.join(' and ')}`, { field: 'montage' });
    const a = (channels[ia] as Channel).samples;
    const b = (channels[ib] as Channel).samples;
    return channels
      .filter((_, i) => i !== ia && i !== ib)
      .map((c) => derived(c, c.label, Float32Array.from(c.samples, (v, t) => v - 0.5 * (a[t] + b[t]))));
  }
  // Laplacian: each channel minus the mean of its k nearest neighbours on the sphere (Hjorth 1975).
  const k = options.laplacianNeighbours ?? 4;
  const located = channels.map((c) => electrodePosition(c.label));
  const usable = channels.map((_, i) => i).filter((i) => located[i] !== null);
  if (usable.length <= k) throw new CajalError('INVALID_ARGUMENT', `a Laplacian needs more than ${k} channels with known positions, got ${usable.length}`, { field: 'montage' });
  return usable.map((i) => {
    const p = located[i] as NonNullable<(typeof located)[number]>;
    const neighbours = usable
      .filter((j) => j !== i)
      .map((j) => {
        const q = located[j] as NonNullable<(typeof located)[number]>;
        return { j, d: Math.hypot(p.x - q.x, p.y - q.y, p.z - q.z) };
      })
      .sort((a, b) => a.d - b.d)
      .slice(0, k)
      .map((e) => (channels[e.j] as Channel).samples);
    const x = (channels[i] as Channel).samples;
    const s = new Float32Array(n);
    for (let t = 0; t < n; t++) {
      let mean = 0;
      for (const y of neighbours) mean += y[t];
      s[t] = x[t] - mean / neighbours.length;
    }
    return derived(channels[i] as Channel, channels[i]!.label, s);
  });
}

/**
 * Montages as rows of weighted channel terms, over channels of any rates and with bad channels
 * left out: what a review screen draws page after page (compute the rows once, apply them to
 * each page's samples). `applyMontage` on channels of one rate gives the same samples for the
 * bipolar montages (it is built on these rows).
 *
 * - as-recorded: every channel, bad ones included (a viewer greys them).
 * - average: each good EEG electrode minus the mean of the good electrodes at the most common
 *   electrode rate (labelled "Fp1-AVG"); channels that are no electrode stay as recorded.
 * - double-banana, transverse, { bipolar }: pairs of good electrodes at one rate; missing,
 *   bad or mismatched pairs are skipped.
 * - linked-ears, linked-mastoids, { linked }: each other good channel minus the mean of the pair.
 * - laplacian: each located electrode minus the mean of its k nearest good neighbours (same rate).
 *
 * @example
 *   const rows = deriveMontageRows('double-banana', header.channels, { bad: new Set(['EEG O1-REF']) });
 *   const traces = applyMontageRows(rows, page.channels.map((c) => c.samples));
 */
import { CajalError } from '@cajal/core';
import type { Montage } from './montage.ts';
import { electrodePosition, normalizeElectrodeLabel } from './positions.ts';

/** The 18 longitudinal bipolar pairs of the double banana (ACNS). */
export const doubleBananaPairs: Array<[string, string]> = [
  ['Fp1', 'F7'], ['F7', 'T7'], ['T7', 'P7'], ['P7', 'O1'],
  ['Fp1', 'F3'], ['F3', 'C3'], ['C3', 'P3'], ['P3', 'O1'],
  ['Fz', 'Cz'], ['Cz', 'Pz'],
  ['Fp2', 'F4'], ['F4', 'C4'], ['C4', 'P4'], ['P4', 'O2'],
  ['Fp2', 'F8'], ['F8', 'T8'], ['T8', 'P8'], ['P8', 'O2'],
];

/** The transverse (coronal) bipolar chain. */
export const transversePairs: Array<[string, string]> = [
  ['Fp1', 'Fp2'],
  ['F7', 'F3'], ['F3', 'Fz'], ['Fz', 'F4'], ['F4', 'F8'],
  ['T7', 'C3'], ['C3', 'Cz'], ['Cz', 'C4'], ['C4', 'T8'],
  ['P7', 'P3'], ['P3', 'Pz'], ['Pz', 'P4'], ['P4', 'P8'],
  ['O1', 'O2'],
];

/** One displayed trace: the weighted sum of channels (by index). */
export interface MontageRow {
  label: string;
  terms: Array<{ index: number; weight: number }>;
}

/** The channel facts a montage needs. */
export interface MontageChannel {
  label: string;
  sampleRateHz: number;
}

/** Options of `deriveMontageRows`. */
export interface MontageRowOptions {
  /** Labels (as recorded) of bad channels: left out of references and derivations. */
  bad?: ReadonlySet<string>;
  /** Neighbours of the Laplacian (default 4). */
  laplacianNeighbours?: number;
}

/**
 * Index of the first channel naming each electrode (normalized 10-20/10-10 name), passing over
 * the channels whose recorded label is in `bad`.
 *
 * @example electrodeIndex([{ label: 'EEG Fp1-REF', sampleRateHz: 256 }]).get('Fp1') === 0
 */
export function electrodeIndex(channels: readonly Pick<MontageChannel, 'label'>[], bad: ReadonlySet<string> = new Set()): Map<string, number> {
  const byElectrode = new Map<string, number>();
  channels.forEach((channel, index) => {
    const electrode = normalizeElectrodeLabel(channel.label);
    if (electrode && !bad.has(channel.label) && !byElectrode.has(electrode)) byElectrode.set(electrode, index);
  });
  return byElectrode;
}

/**
 * The two electrodes of a linked reference: A1/A2 for linked-ears, M1/M2 for linked-mastoids,
 * or the pair given.
 *
 * @example linkedReferencePair('linked-mastoids') // ['M1', 'M2']
 */
export function linkedReferencePair(montage: 'linked-ears' | 'linked-mastoids' | { linked: [string, string] }): readonly [string, string] {
  return typeof montage === 'object' ? montage.linked : montage === 'linked-ears' ? ['A1', 'A2'] : ['M1', 'M2'];
}

function pairRows(channels: readonly MontageChannel[], electrodes: Map<string, number>, pairs: ReadonlyArray<readonly [string, string]>): MontageRow[] {
  const rows: MontageRow[] = [];
  for (const [anode, cathode] of pairs) {
    const a = electrodes.get(normalizeElectrodeLabel(anode) ?? anode);
    const c = electrodes.get(normalizeElectrodeLabel(cathode) ?? cathode);
    if (a === undefined || c === undefined) continue;
    if ((channels[a] as MontageChannel).sampleRateHz !== (channels[c] as MontageChannel).sampleRateHz) continue;
    rows.push({ label: `${anode}-${cathode}`, terms: [{ index: a, weight: 1 }, { index: c, weight: -1 }] });
  }
  return rows;
}

/**
 * The sample rate most of `channels` have (on a tie, the one met first); undefined for none.
 * The rate the average reference and the default analysis keep.
 *
 * @example mostCommonRate([{ sampleRateHz: 256 }, { sampleRateHz: 512 }, { sampleRateHz: 256 }]) === 256
 */
export function mostCommonRate(channels: Iterable<Pick<MontageChannel, 'sampleRateHz'>>): number | undefined {
  const counts = new Map<number, number>();
  for (const { sampleRateHz } of channels) counts.set(sampleRateHz, (counts.get(sampleRateHz) ?? 0) + 1);
  return [...counts.entries()].sort((x, y) => y[1] - x[1])[0]?.[0];
}

/**
 * The rows of `montage` over `channels` (signal's montage ids; see the module comment).
 *
 * @example deriveMontageRows('average', [{ label: 'Fp1', sampleRateHz: 256 }, ...], { bad: new Set(['O2']) })
 */
export function deriveMontageRows(montage: Montage, channels: readonly MontageChannel[], options: MontageRowOptions = {}): MontageRow[] {
  const bad = options.bad ?? new Set<string>();
  if (montage === 'as-recorded') return channels.map((channel, index) => ({ label: channel.label, terms: [{ index, weight: 1 }] }));
  const electrodes = electrodeIndex(channels, bad);
  if (montage === 'double-banana') return pairRows(channels, electrodes, doubleBananaPairs);
  if (montage === 'transverse') return pairRows(channels, electrodes, transversePairs);
  if (typeof montage === 'object' && 'bipolar' in montage) return pairRows(channels, electrodes, montage.bipolar);
  if (montage === 'average') {
    const rate = mostCommonRate([...electrodes.values()].map((index) => channels[index] as MontageChannel));
    const members = [...electrodes.values()].filter((index) => (channels[index] as MontageChannel).sampleRateHz === rate).sort((x, y) => x - y);
    const memberSet = new Set(members);
    const weight = members.length > 0 ? 1 / members.length : 0;
    return channels.flatMap((channel, index): MontageRow[] => {
      if (bad.has(channel.label)) return [];
      if (!memberSet.has(index)) return [{ label: channel.label, terms: [{ index, weight: 1 }] }];
      const terms = members.map((m) => ({ index: m, weight: m === index ? 1 - weight : -weight }));
      return [{ label: `${normalizeElectrodeLabel(channel.label) ?? channel.label}-AVG`, terms }];
    });
  }
  if (montage === 'laplacian') {
    const k = options.laplacianNeighbours ?? 4;
    const located = [...electrodes.entries()].map(([name, index]) => ({ index, position: electrodePosition(name) })).filter((e) => e.position !== null);
    return located.flatMap(({ index, position }): MontageRow[] => {
      const p = position as NonNullable<typeof position>;
      const rate = (channels[index] as MontageChannel).sampleRateHz;
      const neighbours = located
        .filter((e) => e.index !== index && (channels[e.index] as MontageChannel).sampleRateHz === rate)
        .map((e) => ({ index: e.index, distance: Math.hypot(p.x - e.position!.x, p.y - e.position!.y, p.z - e.position!.z) }))
        .sort((a, b) => a.distance - b.distance)
        .slice(0, k);
      if (neighbours.length === 0) return [];
      return [{ label: (channels[index] as MontageChannel).label, terms: [{ index, weight: 1 }, ...neighbours.map((n) => ({ index: n.index, weight: -1 / neighbours.length }))] }];
    });
  }
  const pair = linkedReferencePair(montage);
  const a = electrodes.get(normalizeElectrodeLabel(pair[0]) ?? pair[0]);
  const b = electrodes.get(normalizeElectrodeLabel(pair[1]) ?? pair[1]);
  if (a === undefined || b === undefined) throw new CajalError('NOT_FOUND', `linked reference needs good channels ${pair.join(' and ')}`, { field: 'montage' });
  return channels.flatMap((channel, index): MontageRow[] => {
    if (index === a || index === b || bad.has(channel.label)) return [];
    return [{ label: channel.label, terms: [{ index, weight: 1 }, { index: a, weight: -0.5 }, { index: b, weight: -0.5 }] }];
  });
}

/**
 * The traces of `rows` from per-channel samples (the result has the length of the shortest
 * channel a row uses). A row that is one channel at weight 1 returns that channel's array.
 *
 * @example applyMontageRows(deriveMontageRows('double-banana', channels), samplesPerChannel)
 */
export function applyMontageRows(rows: readonly MontageRow[], samples: readonly Float32Array[]): Float32Array[] {
  return rows.map((row) => {
    const only = row.terms[0];
    if (!only) return new Float32Array(0);
    if (row.terms.length === 1 && only.weight === 1) return samples[only.index] as Float32Array;
    const length = Math.min(...row.terms.map((t) => (samples[t.index] as Float32Array).length));
    const out = new Float32Array(length);
    if (row.terms.length === 2 && row.terms[1]!.weight === -1 && only.weight === 1) {
      // Bipolar pairs: one subtraction per sample, rounded once, as `applyMontage` always has.
      const x = samples[only.index] as Float32Array;
      const y = samples[row.terms[1]!.index] as Float32Array;
      for (let i = 0; i < length; i++) out[i] = (x[i] as number) - (y[i] as number);
      return out;
    }
    const sum = new Float64Array(length);
    for (const term of row.terms) {
      const source = samples[term.index] as Float32Array;
      const w = term.weight;
      for (let i = 0; i < length; i++) sum[i] = (sum[i] as number) + w * (source[i] as number);
    }
    out.set(sum);
    return out;
  });
}

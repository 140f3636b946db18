/**
 * Montages computed in the browser from the channels as recorded: "recorded" (as is),
 * "average" (each EEG channel minus the mean of the good EEG channels), and "bipolar", the
 * longitudinal bipolar "double banana" (18 derivations, chains left temporal, left
 * parasagittal, central, right parasagittal, right temporal).
 *
 * Labels are matched after normalisation: "EEG Fp1-REF", "FP1-LE", "fp1" all mean Fp1; the old
 * names T3/T4/T5/T6 mean T7/T8/P7/P8.
 *
 * @example
 *   const rows = deriveMontage('bipolar', ['EEG Fp1-REF', 'EEG F7-REF', ...]);
 *   const traces = applyMontage(rows, samplesPerChannel);
 */

/** The montage kinds the viewer offers. */
export type MontageKind = 'recorded' | 'average' | 'bipolar';

/** One displayed trace: the weighted sum of recorded channels (by index). */
export interface MontageRow {
  label: string;
  terms: { index: number; weight: number }[];
}

const tenTwenty = [
  'Fp1', 'Fp2', 'Fpz', 'AF3', 'AF4', 'AF7', 'AF8', 'AFz', 'F1', 'F2', 'F3', 'F4', 'F5', 'F6', 'F7', 'F8', 'F9', 'F10', 'Fz',
  'FC1', 'FC2', 'FC3', 'FC4', 'FC5', 'FC6', 'FCz', 'FT7', 'FT8', 'FT9', 'FT10', 'C1', 'C2', 'C3', 'C4', 'C5', 'C6', 'Cz',
  'T7', 'T8', 'T9', 'T10', 'CP1', 'CP2', 'CP3', 'CP4', 'CP5', 'CP6', 'CPz', 'TP7', 'TP8', 'TP9', 'TP10',
  'P1', 'P2', 'P3', 'P4', 'P5', 'P6', 'P7', 'P8', 'P9', 'P10', 'Pz', 'PO3', 'PO4', 'PO7', 'PO8', 'POz',
  'O1', 'O2', 'Oz', 'Iz', 'A1', 'A2', 'M1', 'M2',
];
const canonicalByUpper = new Map(tenTwenty.map((name) => [name.toUpperCase(), name]));
const aliases: Record<string, string> = { T3: 'T7', T4: 'T8', T5: 'P7', T6: 'P8' };

/** The double-banana derivations, in display order. */
export const doubleBanana: readonly (readonly [string, string])[] = [
  ['Fp1', 'F7'], ['F7', 'T7'], ['T7', 'P7'], ['P7', 'O1'],
  ['Fp1', 'F3'], ['F3', 'C3'], ['C3', 'P3'], ['P3', 'O1'],
  ['Fz', 'Cz'], ['Cz', 'Pz'],
  ['Fp2', 'F4'], ['F4', 'C4'], ['C4', 'P4'], ['P4', 'O2'],
  ['Fp2', 'F8'], ['F8', 'T8'], ['T8', 'P8'], ['P8', 'O2'],
];

/**
 * The 10-20/10-10 electrode a recorded label names, or undefined when it names none.
 * Strips an "EEG " prefix and a reference suffix ("-REF", "-LE", "-AR", "-A1", "-M1", "-AVG"),
 * is case-insensitive and maps T3/T4/T5/T6 to T7/T8/P7/P8.
 *
 * @example normalizeElectrode('EEG T3-REF') === 'T7'
 */
export function normalizeElectrode(label: string): string | undefined {
  let name = label.trim().replace(/^EEG[\s_:]*/i, '');
  name = name.replace(/[-_ ](REF|LE|RE|AR|AVG|A1|A2|M1|M2|CZ|LINKED)$/i, '').trim();
  const upper = name.toUpperCase();
  const aliased = aliases[upper];
  if (aliased) return aliased;
  return canonicalByUpper.get(upper);
}

/** The recorded channel facts the montage needs. */
export interface MontageChannel {
  label: string;
  sampleRateHz: number;
}

function electrodeIndex(channels: readonly MontageChannel[], bad: ReadonlySet<string>): Map<string, number> {
  const byElectrode = new Map<string, number>();
  channels.forEach((channel, index) => {
    const electrode = normalizeElectrode(channel.label);
    if (electrode && !bad.has(channel.label) && !byElectrode.has(electrode)) byElectrode.set(electrode, index);
  });
  return byElectrode;
}

/**
 * The rows of a montage over `channels`. Bad channels (by recorded label) are left out of
 * average references and bipolar pairs; in "recorded" they stay (drawn greyed by the viewer).
 * The average reference uses the good EEG channels at the most common EEG sample rate;
 * channels that are not EEG electrodes stay as recorded. Bipolar pairs whose electrodes are
 * missing, bad or at different rates are skipped.
 *
 * @example deriveMontage('average', [{label: 'Fp1', sampleRateHz: 256}, ...], new Set(['O2']))
 */
export function deriveMontage(kind: MontageKind, channels: readonly MontageChannel[], bad: ReadonlySet<string> = new Set()): MontageRow[] {
  if (kind === 'recorded') {
    return channels.map((channel, index) => ({ label: channel.label, terms: [{ index, weight: 1 }] }));
  }
  const electrodes = electrodeIndex(channels, bad);
  if (kind === 'bipolar') {
    const rows: MontageRow[] = [];
    for (const [anode, cathode] of doubleBanana) {
      const a = electrodes.get(anode);
      const c = electrodes.get(cathode);
      if (a === undefined || c === undefined) continue;
      if (channels[a]!.sampleRateHz !== channels[c]!.sampleRateHz) continue;
      rows.push({ label: `${anode}-${cathode}`, terms: [{ index: a, weight: 1 }, { index: c, weight: -1 }] });
    }
    return rows;
  }
  const rateCounts = new Map<number, number>();
  for (const index of electrodes.values()) {
    const rate = channels[index]!.sampleRateHz;
    rateCounts.set(rate, (rateCounts.get(rate) ?? 0) + 1);
  }
  const rate = [...rateCounts.entries()].sort((x, y) => y[1] - x[1])[0]?.[0];
  const members = [...electrodes.values()].filter((index) => channels[index]!.sampleRateHz === rate).sort((x, y) => x - y);
  const memberSet = new Set(members);
  const weight = members.length > 0 ? 1 / members.length : 0;
  return channels.flatMap((channel, index): MontageRow[] => {
    if (bad.has(channel.label)) return [];
    if (!memberSet.has(index)) return [{ label: channel.label, terms: [{ index, weight: 1 }] }];
    const terms = members.map((m) => ({ index: m, weight: m === index ? 1 - weight : -weight }));
    return [{ label: `${normalizeElectrode(channel.label) ?? channel.label}-AVG`, terms }];
  });
}

/**
 * Compute the traces of `rows` from per-channel samples (all channels a row uses must have
 * the same length; the result has that length). Allocates one Float32Array per row.
 *
 * @example applyMontage(deriveMontage('bipolar', channels), pages.map((c) => c.samples))
 */
export function applyMontage(rows: readonly MontageRow[], samples: readonly Float32Array[]): Float32Array[] {
  return rows.map((row) => {
    const first = samples[row.terms[0]!.index]!;
    if (row.terms.length === 1 && row.terms[0]!.weight === 1) return first;
    const length = Math.min(...row.terms.map((t) => samples[t.index]!.length));
    const out = new Float32Array(length);
    for (const term of row.terms) {
      const source = samples[term.index]!;
      const w = term.weight;
      for (let i = 0; i < length; i++) out[i] = (out[i] as number) + w * (source[i] as number);
    }
    return out;
  });
}

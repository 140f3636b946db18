/**
 * Normalise the result of an "analyze" job into what the charts draw: a PSD per channel and
 * band powers per channel. Reads apps/server's shape ({channels: [{label, bandPowers,
 * relativeBandPowers, psd?}]}) and the alternatives listed in apps/web/NEEDS.md (API.md leaves
 * the result open); anything else gives `undefined` parts.
 *
 * @example const { psd, bandPowers } = readAnalysisResult(job.result);
 */

export interface PsdChart { frequenciesHz: number[]; channels: { label: string; powerDb: number[] }[] }
export interface BandPowerTable { bands: string[]; channels: { label: string; values: number[] }[] }

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
function numbers(v: unknown): number[] | undefined {
  return Array.isArray(v) && v.every((x) => typeof x === 'number') ? (v as number[]) : undefined;
}
const toDb = (power: number[]): number[] => power.map((p) => 10 * Math.log10(Math.max(p, 1e-30)));

function readPsd(raw: unknown): PsdChart | undefined {
  if (!isRecord(raw)) return undefined;
  const frequenciesHz = numbers(raw['frequenciesHz']) ?? numbers(raw['frequencies_hz']);
  if (!frequenciesHz) return undefined;
  const channels: PsdChart['channels'] = [];
  if (Array.isArray(raw['channels'])) {
    for (const c of raw['channels']) {
      if (!isRecord(c)) continue;
      const label = String(c['label'] ?? c['channel'] ?? `channel ${channels.length + 1}`);
      const db = numbers(c['powerDb']) ?? numbers(c['power_db']);
      const linear = numbers(c['power']) ?? numbers(c['psd']);
      if (db) channels.push({ label, powerDb: db });
      else if (linear) channels.push({ label, powerDb: toDb(linear) });
    }
  } else if (Array.isArray(raw['power']) && Array.isArray(raw['labels'])) {
    (raw['power'] as unknown[]).forEach((row, i) => {
      const linear = numbers(row);
      if (linear) channels.push({ label: String((raw['labels'] as unknown[])[i]), powerDb: toDb(linear) });
    });
  }
  return channels.length > 0 ? { frequenciesHz, channels } : undefined;
}

function readBands(raw: unknown): BandPowerTable | undefined {
  const entries: { label: string; bands: Record<string, unknown> }[] = [];
  if (Array.isArray(raw)) {
    for (const item of raw) {
      if (!isRecord(item)) continue;
      const bands = isRecord(item['bands']) ? item['bands'] : Object.fromEntries(Object.entries(item).filter(([k, v]) => k !== 'label' && k !== 'channel' && typeof v === 'number'));
      entries.push({ label: String(item['label'] ?? item['channel'] ?? ''), bands });
    }
  } else if (isRecord(raw)) {
    for (const [label, bands] of Object.entries(raw)) if (isRecord(bands)) entries.push({ label, bands });
  }
  const bandNames = [...new Set(entries.flatMap((e) => Object.keys(e.bands).filter((k) => typeof e.bands[k] === 'number')))];
  if (entries.length === 0 || bandNames.length === 0) return undefined;
  return { bands: bandNames, channels: entries.map((e) => ({ label: e.label, values: bandNames.map((b) => Number(e.bands[b] ?? NaN)) })) };
}

/** Per-channel form of apps/server's analyze job: {channels: [{label, bandPowers, relativeBandPowers, psd?}]}. */
function readChannelList(result: Record<string, unknown>): AnalysisCharts {
  const channels = (result['channels'] as unknown[]).filter(isRecord);
  const bands = (key: string): BandPowerTable | undefined =>
    readBands(channels.filter((c) => isRecord(c[key])).map((c) => ({ label: c['label'], bands: c[key] })));
  const psdChannels = channels.flatMap((c) => {
    const psd = c['psd'];
    return isRecord(psd) ? [{ label: c['label'], frequenciesHz: psd['frequenciesHz'], powerDb: psd['powerDb'], power: psd['power'] }] : [];
  });
  const frequenciesHz = numbers(result['frequenciesHz']) ?? numbers(psdChannels[0]?.frequenciesHz);
  const peaks = channels.filter((c) => typeof c['peakAlphaHz'] === 'number').map((c) => ({ label: String(c['label'] ?? ''), hz: c['peakAlphaHz'] as number }));
  return {
    psd: frequenciesHz ? readPsd({ frequenciesHz, channels: psdChannels.length > 0 ? psdChannels : channels }) : undefined,
    bandPowers: bands('bandPowers'),
    relativeBandPowers: bands('relativeBandPowers'),
    peakAlphaHz: peaks.length > 0 ? peaks : undefined,
  };
}

/** Everything the charts draw; any part may be undefined. */
export interface AnalysisCharts {
  psd?: PsdChart;
  bandPowers?: BandPowerTable;
  relativeBandPowers?: BandPowerTable;
  /** Peak alpha frequency per channel (channels without one are left out). */
  peakAlphaHz?: { label: string; hz: number }[];
}

/** The charts an analysis result holds (any part may be undefined). */
export function readAnalysisResult(result: unknown): AnalysisCharts {
  if (!isRecord(result)) return {};
  if (Array.isArray(result['channels'])) return readChannelList(result);
  return { psd: readPsd(result['psd']), bandPowers: readBands(result['bandPowers'] ?? result['band_powers']) };
}

import { interpolateHeadGrid, mergeCoincident, minimumInterpolated } from '@cajal/signal';
import type { ScalpValue } from '@cajal/signal';
import { connectivityGraph, escapeHtml, formatNumber, headMap, heatmap, spectrumChart, stackedTraces } from '@cajal/viz';
import type { HeadMapOptions, HeadPoint } from '@cajal/viz';
import { renderReport, table } from '../report/html.ts';
import type { ReportSection } from '../report/html.ts';
import type { AnalyzeReport } from './analyze.ts';

/**
 * The HTML report of `cajal analyze`: summary, traces, spectra, band-power head maps,
 * connectivity matrices and graphs, and the tables of numbers. Self-contained (inline SVG,
 * no scripts, nothing fetched).
 */

const methodNames: Record<string, string> = {
  msc: 'Magnitude-squared coherence',
  coh: 'Coherency magnitude',
  imcoh: 'Imaginary coherence',
  plv: 'Phase-locking value (PLV)',
  pli: 'Phase-lag index (PLI)',
  wpli: 'Weighted phase-lag index (wPLI)',
  dwpli: 'Debiased wPLI',
};

/** "EEG Fp1-Ref" -> "Fp1", "POL DC01" -> "DC01"; bipolar names stay. */
export function displayLabel(label: string): string {
  return label
    .trim()
    .replace(/^(EEG|POL|EOG|ECG|EMG|SaO2)\s+/i, '')
    .replace(/[-_ ](REF|LE|RE|AR|AVG|CAR)$/i, '');
}

/** A colour from the electrode's place on the head (hue by angle, lighter towards the vertex); grey without one. */
export function positionColor(position: { u: number; v: number } | null): string {
  if (!position) return '#9aa1ad';
  const hue = ((Math.atan2(position.v, position.u) * 180) / Math.PI + 360) % 360;
  const radius = Math.min(1.2, Math.hypot(position.u, position.v));
  return `hsl(${hue.toFixed(0)},${(45 + 35 * Math.min(1, radius)).toFixed(0)}%,${(52 - 14 * Math.min(1, radius)).toFixed(0)}%)`;
}

/** Round-off noise (|x| < 1e-12) shown as 0. */
const clean = (value: number): number => (Math.abs(value) < 1e-12 ? 0 : value);

const percent = (value: number): string => `${formatNumber(100 * value)} %`;

function median(values: number[]): number {
  const sorted = values.filter(Number.isFinite).sort((a, b) => a - b);
  if (sorted.length === 0) return NaN;
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** A head map of electrode values: the grid interpolated by @cajal/signal, drawn by @cajal/viz. */
function scalpMap(points: ScalpValue[], options: HeadMapOptions): string {
  const usable = mergeCoincident(points);
  return headMap(usable, interpolateHeadGrid(usable), options);
}

function headSection(report: AnalyzeReport, labels: string[]): ReportSection {
  const positioned = report.channels.map((c, i) => ({ c, i })).filter(({ c }) => c.position !== null);
  if (positioned.length === 0) {
    return { heading: 'Band-power head maps', body: '<p>No analysed channel has a 10-20 / 10-10 position, so no head map can be drawn.</p>' };
  }
  const maps = report.bands.map((band) => {
    const relative = report.band_powers.relative[band.name] ?? [];
    const points = positioned.map(({ c, i }) => ({ label: labels[i] as string, u: (c.position as { u: number }).u, v: (c.position as { v: number }).v, value: 100 * (relative[i] as number) }));
    return scalpMap(points, { id: `headmap-${band.name}`, title: `${band.name} ${formatNumber(band.low)}–${formatNumber(band.high)} Hz`, unit: '%', format: (v) => formatNumber(Number(v.toPrecision(3))) });
  });
  // Absolute power spans decades between electrodes, so it is interpolated and coloured on a log scale.
  const absoluteMaps = report.bands.map((band) => {
    const absolute = report.band_powers.absolute[band.name] ?? [];
    const points = positioned.map(({ c, i }) => ({ label: labels[i] as string, u: (c.position as { u: number }).u, v: (c.position as { v: number }).v, value: Math.log10(absolute[i] as number) }));
    return scalpMap(points, { id: `headmap-absolute-${band.name}`, title: `${band.name} ${formatNumber(band.low)}–${formatNumber(band.high)} Hz`, unit: report.band_powers.unit, format: (v) => formatNumber(Number(Math.pow(10, v).toPrecision(3))) });
  });
  const missing = report.channels_without_position.map(displayLabel);
  const sparse = positioned.length < minimumInterpolated ? ` With fewer than ${minimumInterpolated} positioned channels the maps colour the electrodes only (no interpolation).` : '';
  const bipolar = report.channels.some((c) => c.position !== null && /-/.test(displayLabel(c.label))) ? ' Bipolar channels sit at the midpoint of their two electrodes.' : '';
  const note = (missing.length > 0
    ? `Drawn from the ${positioned.length} of ${report.channels.length} channels with a 10-20 / 10-10 position; left out (no standard position): ${missing.join(', ')}.`
    : `All ${report.channels.length} channels have a 10-20 / 10-10 position.`) + sparse + bipolar;
  return {
    heading: 'Band-power head maps',
    body: `<p class="caption">Relative band power (% of ${formatNumber(report.parameters.total_range_hz[0])}–${formatNumber(report.parameters.total_range_hz[1])} Hz power) per electrode, interpolated over the head with a biharmonic spline; each map has its own colour scale. Seen from above, nose up, left ear on the left.</p><div class="grid">${maps.join('')}</div><p class="caption">Absolute band power (${escapeHtml(report.band_powers.unit)}), interpolated and coloured on a log scale.</p><div class="grid">${absoluteMaps.join('')}</div>`,
    note,
  };
}

function connectivitySection(report: AnalyzeReport, labels: string[]): ReportSection {
  const [low, high] = report.parameters.connectivity_band_hz;
  const positioned = report.channels.map((c, i) => ({ c, i })).filter(({ c }) => c.position !== null);
  const nodes: HeadPoint[] = positioned.map(({ c, i }) => ({ label: labels[i] as string, u: (c.position as { u: number }).u, v: (c.position as { v: number }).v }));
  const blocks = report.parameters.connectivity_methods.map((method) => {
    const matrix = report.connectivity[method];
    if (!matrix) return '';
    const display = matrix.map((row, i) => row.map((v, j) => (i === j ? NaN : v)));
    const domain: [number, number] = [0, Math.max(1e-9, ...display.flat().filter(Number.isFinite).map(Math.abs))];
    const name = methodNames[method] ?? method;
    const cellSize = Math.max(8, Math.min(22, Math.floor(440 / Math.max(1, labels.length))));
    const map = heatmap(display, { rows: labels, columns: labels }, { id: `connectivity-${method}`, title: `matrix, ${formatNumber(low)}–${formatNumber(high)} Hz`, domain, cellSize });
    const sub = positioned.map(({ i }) => positioned.map(({ i: j }) => (matrix[i] as number[])[j] as number));
    const communities = report.graph[method]?.communities;
    const graphOptions = { id: `graph-${method}`, title: 'graph: strongest 20 % of pairs', size: 340, ...(communities ? { communities: positioned.map(({ i }) => communities[i] as number) } : {}) };
    const graph = nodes.length >= 2 ? connectivityGraph(nodes, sub, graphOptions) : '';
    return `<h3>${escapeHtml(name)}</h3><div class="grid">${map}${graph}</div>`;
  });
  const measures = report.parameters.connectivity_methods.map((method) => {
    const g = report.graph[method];
    if (!g) return [method, '', '', '', '', '', ''];
    return [method, median(g.strength), g.mean_clustering, g.characteristic_path_length, g.global_efficiency, clean(g.modularity), new Set(g.communities).size];
  });
  const missing = report.channels_without_position.map(displayLabel);
  return {
    heading: `Connectivity in the ${formatNumber(low)}–${formatNumber(high)} Hz band`,
    body: `<p class="caption">All channel pairs from the Fourier coefficients of ${report.parameters.welch.segments} Welch segments (Hann window). Matrices: the diagonal is blank; the colour scale runs from 0 to the largest off-diagonal value. Graphs: the strongest 20 % of electrode pairs, line width and colour by weight, node size by strength (sum of weights), node fill by Louvain module.</p>${blocks.join('')}<h3>Graph measures (absolute weights, all analysed channels)</h3>${table(['measure', 'median strength', 'mean clustering', 'characteristic path length', 'global efficiency', 'modularity (Louvain)', 'modules'], measures)}`,
    note: missing.length > 0 ? `Graphs place only channels with a standard position; matrices and graph measures include all channels (left out of the graphs: ${missing.join(', ')}).` : '',
  };
}

function bandTable(report: AnalyzeReport, labels: string[]): string {
  const names = report.bands.map((b) => b.name);
  const headers = ['channel', ...names.map((n) => `${n} (${report.band_powers.unit})`), ...names.map((n) => `${n} (%)`), `total (${report.band_powers.unit})`];
  const rows = report.channels.map((_, i) => [
    labels[i] as string,
    ...names.map((n) => report.band_powers.absolute[n]?.[i] ?? NaN),
    ...names.map((n) => 100 * (report.band_powers.relative[n]?.[i] ?? NaN)),
    report.band_powers.total[i] ?? NaN,
  ]);
  return table(headers, rows);
}

function featureTable(report: AnalyzeReport, labels: string[]): string {
  const unit = report.channels[0]?.unit || 'units';
  const headers = ['channel', 'peak alpha (Hz)', 'spectral entropy', '1/f exponent', `line length (${unit}/s)`, `Hjorth activity (${unit}^2)`, 'Hjorth mobility', 'Hjorth complexity'];
  const rows = report.channels.map((_, i) => {
    const f = report.features[i];
    return [labels[i] as string, f?.peak_alpha_frequency_hz ?? NaN, f?.spectral_entropy ?? NaN, f?.aperiodic_exponent ?? NaN, f?.line_length_per_second ?? NaN, f?.hjorth_activity ?? NaN, f?.hjorth_mobility ?? NaN, f?.hjorth_complexity ?? NaN];
  });
  return table(headers, rows);
}

/** "Not analysed: A, B (reason); C (reason)." grouped by reason; empty when every channel was analysed. */
function skippedNote(report: AnalyzeReport): string {
  if (report.channels_skipped.length === 0) return '';
  const groups = new Map<string, string[]>();
  for (const s of report.channels_skipped) groups.set(s.reason, [...(groups.get(s.reason) ?? []), displayLabel(s.label)]);
  return `Not analysed: ${[...groups.entries()].map(([reason, labels]) => `${labels.join(', ')} (${reason})`).join('; ')}.`;
}

function highlights(report: AnalyzeReport, labels: string[]): string {
  const items: string[] = [];
  const paf = median(report.features.map((f) => f.peak_alpha_frequency_hz));
  if (Number.isFinite(paf)) items.push(`Median peak alpha frequency: <b>${formatNumber(Number(paf.toFixed(2)))} Hz</b>.`);
  for (const band of report.bands) {
    const relative = report.band_powers.relative[band.name] ?? [];
    let best = -1;
    relative.forEach((v, i) => {
      if (Number.isFinite(v) && (best < 0 || v > (relative[best] as number))) best = i;
    });
    if (best >= 0) items.push(`Highest relative ${escapeHtml(band.name)} power at <b>${escapeHtml(labels[best] as string)}</b> (${percent(relative[best] as number)}; median ${percent(median(relative))}).`);
  }
  const msc = report.graph['msc'];
  if (msc) items.push(`Alpha coherence graph: mean clustering ${formatNumber(msc.mean_clustering)}, characteristic path length ${formatNumber(msc.characteristic_path_length)}, modularity ${formatNumber(clean(msc.modularity))} (${new Set(msc.communities).size} modules).`);
  return `<ul class="highlights">${items.map((i) => `<li>${i}</li>`).join('')}</ul>`;
}

/**
 * Render the analysis as one self-contained HTML page.
 *
 * @example
 *   await writeFile('report.html', renderAnalysisReport(await analyzeFile('rec.edf')));
 */
export function renderAnalysisReport(report: AnalyzeReport): string {
  const labels = report.channels.map((c) => displayLabel(c.label));
  const colors = report.channels.map((c) => positionColor(c.position));
  const p = report.parameters;
  const unit = report.channels[0]?.unit || 'units';
  const bandText = report.bands.map((b) => `${b.name} ${formatNumber(b.low)}–${formatNumber(b.high)} Hz`).join(', ');
  const facts: Array<[string, string | number]> = [
    ['file', report.file],
    ['format', report.format.toUpperCase()],
    ['start', report.start_time ?? 'unknown'],
    ['analysed', `${formatNumber(Number(report.duration_seconds.toFixed(3)))} s of ${formatNumber(Number(report.recording_duration_seconds.toFixed(3)))} s at ${formatNumber(report.sample_rate_hz)} Hz`],
    ['channels', `${report.channels.length} analysed (${report.channels.length - report.channels_without_position.length} with a 10-20 / 10-10 position)${report.channels_skipped.length > 0 ? `, ${report.channels_skipped.length} not analysed` : ''}`],
    ['montage', report.montage],
    ['filters', `${p.bandpass_hz ? `band-pass ${p.bandpass_hz[0]}–${p.bandpass_hz[1]} Hz (FIR, MNE defaults, zero phase)` : 'no band-pass'}; ${p.notch_hz.length > 0 ? `notch ${p.notch_hz.join(', ')} Hz` : 'no notch'}`],
    ['spectra', `Welch, ${p.welch.window} window, ${p.welch.nperseg} samples (${formatNumber(p.welch.nperseg / report.sample_rate_hz)} s) per segment, ${p.welch.noverlap} overlap, ${p.welch.segments} segments`],
    ['bands', bandText],
    ['connectivity', `${p.connectivity_methods.join(', ')} in ${p.connectivity_band_hz[0]}–${p.connectivity_band_hz[1]} Hz`],
    ['annotations', report.annotation_count],
  ];
  const previewSeconds = report.preview.seconds;
  const sections: ReportSection[] = [
    { heading: 'Summary', body: highlights(report, labels), note: skippedNote(report) },
    {
      heading: `Traces, first ${formatNumber(Number(previewSeconds.toFixed(2)))} s`,
      body: stackedTraces(labels, report.preview.samples, { id: 'traces', sampleRateHz: report.preview.sample_rate_hz, unit, laneHeight: report.channels.length > 30 ? 17 : 22 }),
      note: `After the band-pass and notch above; one amplitude scale for all channels (red bar), excursions beyond 1.5 lanes clipped.`,
    },
    {
      heading: 'Power spectral density per channel',
      body: spectrumChart(labels, report.psd.frequencies_hz, report.psd.power, { id: 'psd', unit: report.psd.unit, range: [Math.max(0.5, report.psd.frequencies_hz[1] ?? 0.5), Math.min(report.sample_rate_hz / 2, Math.max(45, (p.bandpass_hz?.[1] ?? 40) + 5))], bands: report.bands, colors }),
      note: 'Welch estimate after filtering, log power axis; line colour follows the electrode position on the head (grey: no standard position).',
    },
    headSection(report, labels),
    connectivitySection(report, labels),
    { heading: 'Band powers', body: `<div class="scroll">${bandTable(report, labels)}</div>`, note: `Absolute power integrates the PSD over each band (${p.band_power_method}); relative power divides by the ${p.total_range_hz[0]}–${p.total_range_hz[1]} Hz total. Every number is in the JSON output (--json).` },
    { heading: 'Spectral and time-domain features', body: `<div class="scroll">${featureTable(report, labels)}</div>`, note: 'Peak alpha: the largest PSD bin in 7–14 Hz, refined by a parabola; spectral entropy of the 1–45 Hz PSD, normalised to [0, 1]; 1/f exponent: aperiodic fit of the PSD in 2–40 Hz; line length and Hjorth parameters of the filtered signal.' },
  ];
  return renderReport({
    title: `EEG analysis: ${report.file.split(/[\\/]/).pop() ?? report.file}${report.simulated ? ' (SIMULATED data)' : ''}`,
    subtitle: `${report.channels.length} channels, ${formatNumber(Number(report.duration_seconds.toFixed(1)))} s, ${formatNumber(report.sample_rate_hz)} Hz${report.simulated ? ' — this recording is SIMULATED, not from a person' : ''}`,
    facts,
    sections,
  });
}

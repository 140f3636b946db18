/**
 * Charts of an "analyze" job result (@cajal/signal's AnalysisJson, computed on the server by
 * signal's pipeline): PSD per channel to 45 Hz (@cajal/viz's spectrumChart, the same chart as
 * `cajal analyze`'s report), relative band power per channel as 100 % stacked bars, peak alpha
 * frequency per channel (both @cajal/viz as well), and the band-power tables.
 */
import { useMemo } from 'react';
import type { AnalysisJson } from '@cajal/signal';
import { dotChart, spectrumChart, stackedBarChart } from '@cajal/viz';
import { readAnalysisResult, type BandPowerTable, type PsdChart } from '../lib/analysis-result.ts';

const palette = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

/** The PSD as inline SVG markup from @cajal/viz (labels escaped there); scales down to the screen's width. */
function PsdPlot({ psd }: { psd: PsdChart }) {
  const svg = useMemo(
    () =>
      spectrumChart(
        psd.channels.map((c) => c.label),
        psd.frequenciesHz,
        psd.channels.map((c) => c.powerDb),
        { id: 'psd', unit: 'dB', scale: 'decibel', width: 900, colors: psd.channels.map((_, i) => palette[i % palette.length] as string) },
      ),
    [psd],
  );
  return <div data-testid="psd-chart" className="viz" dangerouslySetInnerHTML={{ __html: svg }} />;
}

function BandTable({ title, table, testId }: { title: string; table: BandPowerTable; testId: string }) {
  const max = Math.max(...table.channels.flatMap((c) => c.values.filter(Number.isFinite)));
  return (
    <>
      <h3>{title}</h3>
      <table className="list bands" data-testid={testId}>
        <thead><tr><th>channel</th>{table.bands.map((b) => <th key={b}>{b}</th>)}</tr></thead>
        <tbody>
          {table.channels.map((c) => (
            <tr key={c.label}>
              <td>{c.label}</td>
              {c.values.map((v, i) => (
                <td key={i} title={String(v)}>
                  <span className="bar" style={{ width: `${Math.max(1, (60 * v) / (max || 1))}px`, background: palette[i % palette.length] }} />
                  {v.toPrecision(3)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

/** Relative band power per channel as horizontal 100 % stacked bars, with a legend (@cajal/viz). */
function RelativeBandChart({ table }: { table: BandPowerTable }) {
  const svg = useMemo(() => stackedBarChart(table.bands, table.channels, { id: 'relative-band-power', title: 'relative band power per channel', colors: palette }), [table]);
  return <div data-testid="relative-band-chart" className="viz" dangerouslySetInnerHTML={{ __html: svg }} />;
}

/** Peak alpha frequency per channel as dots on a 7-14 Hz axis (@cajal/viz). */
function PeakAlphaChart({ peaks }: { peaks: { label: string; hz: number }[] }) {
  const svg = useMemo(
    () => dotChart(peaks.map((p) => ({ label: p.label, value: p.hz })), { id: 'peak-alpha', title: 'peak alpha frequency per channel', domain: [7, 14], ticks: [7, 8, 9, 10, 11, 12, 13, 14], unit: 'Hz' }),
    [peaks],
  );
  return <div data-testid="peak-alpha-chart" className="viz" dangerouslySetInnerHTML={{ __html: svg }} />;
}

export function AnalysisCharts({ result }: { result: AnalysisJson }) {
  // Once per result, so the charts' memoised SVG is not rebuilt on every render.
  const { psd, bandPowers, relativeBandPowers, peakAlphaHz } = useMemo(() => readAnalysisResult(result), [result]);
  return (
    <div>
      <h3>Power spectral density</h3><PsdPlot psd={psd} />
      <h3>Relative band power per channel</h3><RelativeBandChart table={relativeBandPowers} />
      {peakAlphaHz.length > 0 && <><h3>Peak alpha frequency</h3><PeakAlphaChart peaks={peakAlphaHz} /></>}
      <BandTable title="Band power (absolute, unit²)" table={bandPowers} testId="band-powers" />
      <BandTable title="Band power (relative to 1-45 Hz)" table={relativeBandPowers} testId="relative-band-powers" />
    </div>
  );
}

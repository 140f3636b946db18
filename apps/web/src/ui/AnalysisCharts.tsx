/**
 * Charts of an "analyze" job result (@cajal/signal Welch spectra on the server): PSD per
 * channel (@cajal/viz's spectrumChart, the same chart as `cajal analyze`'s report, when the
 * result has one), relative band power per channel as 100 % stacked bars (SVG), peak alpha
 * frequency per channel, and the band-power tables.
 */
import { useMemo } from 'react';
import { spectrumChart } from '@cajal/viz';
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

const rowHeight = 16;
const chartLabelWidth = 110;

/** Relative band power per channel as horizontal 100 % stacked bars, with a legend. */
function RelativeBandChart({ table }: { table: BandPowerTable }) {
  const width = 640;
  const plot = width - chartLabelWidth - 10;
  const height = table.channels.length * rowHeight + 30;
  return (
    <svg data-testid="relative-band-chart" width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label="relative band power per channel" className="chart">
      {table.bands.map((band, i) => (
        <g key={band} transform={`translate(${chartLabelWidth + i * 80}, 4)`}>
          <rect width="10" height="10" fill={palette[i % palette.length]} />
          <text x="14" y="9" fontSize="11">{band}</text>
        </g>
      ))}
      {table.channels.map((c, row) => {
        const total = c.values.reduce((sum, v) => sum + (Number.isFinite(v) && v > 0 ? v : 0), 0) || 1;
        let x = chartLabelWidth;
        const y = 24 + row * rowHeight;
        return (
          <g key={c.label}>
            <text x={chartLabelWidth - 6} y={y + rowHeight - 5} fontSize="11" textAnchor="end">{c.label}</text>
            {c.values.map((v, i) => {
              const w = (plot * (Number.isFinite(v) && v > 0 ? v : 0)) / total;
              const rect = <rect key={i} x={x} y={y} width={w} height={rowHeight - 3} fill={palette[i % palette.length]}><title>{`${c.label} ${table.bands[i]}: ${(100 * v / total).toFixed(1)} %`}</title></rect>;
              x += w;
              return rect;
            })}
          </g>
        );
      })}
    </svg>
  );
}

/** Peak alpha frequency per channel as dots on a 7-14 Hz axis. */
function PeakAlphaChart({ peaks }: { peaks: { label: string; hz: number }[] }) {
  const width = 640;
  const plot = width - chartLabelWidth - 20;
  const x = (hz: number): number => chartLabelWidth + (plot * (Math.min(14, Math.max(7, hz)) - 7)) / 7;
  const height = peaks.length * rowHeight + 30;
  return (
    <svg data-testid="peak-alpha-chart" width={width} height={height} viewBox={`0 0 ${width} ${height}`} role="img" aria-label="peak alpha frequency per channel" className="chart">
      {[7, 8, 9, 10, 11, 12, 13, 14].map((hz) => (
        <g key={hz}>
          <line x1={x(hz)} x2={x(hz)} y1={4} y2={height - 16} stroke="#ddd" />
          <text x={x(hz)} y={height - 4} fontSize="10" textAnchor="middle">{hz} Hz</text>
        </g>
      ))}
      {peaks.map((p, row) => (
        <g key={p.label}>
          <text x={chartLabelWidth - 6} y={4 + row * rowHeight + 11} fontSize="11" textAnchor="end">{p.label}</text>
          <circle cx={x(p.hz)} cy={4 + row * rowHeight + 7} r="4" fill={palette[2]}><title>{`${p.label}: ${p.hz.toFixed(2)} Hz`}</title></circle>
        </g>
      ))}
    </svg>
  );
}

export function AnalysisCharts({ result }: { result: unknown }) {
  const { psd, bandPowers, relativeBandPowers, peakAlphaHz } = readAnalysisResult(result);
  if (!psd && !bandPowers) return <pre className="result">{JSON.stringify(result, null, 1).slice(0, 4000)}</pre>;
  return (
    <div>
      {psd && <><h3>Power spectral density</h3><PsdPlot psd={psd} /></>}
      {relativeBandPowers && <><h3>Relative band power per channel</h3><RelativeBandChart table={relativeBandPowers} /></>}
      {peakAlphaHz && <><h3>Peak alpha frequency</h3><PeakAlphaChart peaks={peakAlphaHz} /></>}
      {bandPowers && <BandTable title="Band power (absolute, unit²)" table={bandPowers} testId="band-powers" />}
      {relativeBandPowers && <BandTable title="Band power (relative to 1-45 Hz)" table={relativeBandPowers} testId="relative-band-powers" />}
    </div>
  );
}

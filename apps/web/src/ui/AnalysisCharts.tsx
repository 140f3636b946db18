/** Charts of an "analyze" job result: PSD per channel (uPlot) and a band-power table with bars. */
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { readAnalysisResult, type BandPowerTable, type PsdChart } from '../lib/analysis-result.ts';

const palette = ['#1f77b4', '#ff7f0e', '#2ca02c', '#d62728', '#9467bd', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22', '#17becf'];

function PsdPlot({ psd }: { psd: PsdChart }) {
  const host = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!host.current) return;
    const plot = new uPlot(
      {
        width: Math.min(900, host.current.clientWidth || 800),
        height: 320,
        scales: { x: { time: false } },
        axes: [{ label: 'frequency (Hz)' }, { label: 'power (dB)' }],
        series: [{ label: 'Hz' }, ...psd.channels.map((c, i) => ({ label: c.label, stroke: palette[i % palette.length], width: 1 }))],
      },
      [psd.frequenciesHz, ...psd.channels.map((c) => c.powerDb)],
      host.current,
    );
    return () => plot.destroy();
  }, [psd]);
  return <div ref={host} data-testid="psd-chart" />;
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

export function AnalysisCharts({ result }: { result: unknown }) {
  const { psd, bandPowers, relativeBandPowers } = readAnalysisResult(result);
  if (!psd && !bandPowers) return <pre className="result">{JSON.stringify(result, null, 1).slice(0, 4000)}</pre>;
  return (
    <div>
      {psd && <><h3>Power spectral density</h3><PsdPlot psd={psd} /></>}
      {bandPowers && <BandTable title="Band power (absolute, unit²)" table={bandPowers} testId="band-powers" />}
      {relativeBandPowers && <BandTable title="Band power (relative to 1-45 Hz)" table={relativeBandPowers} testId="relative-band-powers" />}
    </div>
  );
}

/** Viewer controls: montage, gain (µV/mm), page length / timebase, display filters, channel selection and bad channels. */
import { useState } from 'react';
import { viewerMontages, type ViewerMontage, type ViewerSettings } from './viewer-engine.ts';

interface Props {
  settings: ViewerSettings;
  onChange: (settings: ViewerSettings) => void;
  rows: string[];
  channels: string[];
  onBadChange: (bad: Set<string>) => void;
  onPage: (delta: number) => void;
}

const gains = [1, 2, 3, 5, 7, 10, 15, 20, 30, 50, 70, 100, 200, 500];
const pageLengths = [5, 10, 15, 20, 30, 60];

function toggle(set: ReadonlySet<string>, item: string): Set<string> {
  const out = new Set(set);
  if (out.has(item)) out.delete(item);
  else out.add(item);
  return out;
}

export function ViewerToolbar({ settings, onChange, rows, channels, onBadChange, onPage }: Props) {
  const [panel, setPanel] = useState(false);
  const set = (patch: Partial<ViewerSettings>): void => onChange({ ...settings, ...patch });
  const filter = (patch: Partial<ViewerSettings['filters']>): void => set({ filters: { ...settings.filters, ...patch } });
  const gain = gains.includes(settings.microvoltsPerMillimetre) ? settings.microvoltsPerMillimetre : Math.round(settings.microvoltsPerMillimetre * 10) / 10;
  return (
    <div className="toolbar">
      <button onClick={() => onPage(-1)} title="Previous page (PageUp)">◀</button>
      <button onClick={() => onPage(1)} title="Next page (PageDown)">▶</button>
      <label>Montage{' '}
        <select data-testid="montage" value={settings.montage} onChange={(e) => set({ montage: e.target.value as ViewerMontage, hidden: new Set() })}>
          {viewerMontages.map((m) => <option key={m.id} value={m.id}>{m.label}</option>)}
        </select>
      </label>
      <label>Gain{' '}
        <select data-testid="gain" value={gain} onChange={(e) => set({ microvoltsPerMillimetre: Number(e.target.value) })}>
          {!gains.includes(gain) && <option value={gain}>{gain}</option>}
          {gains.map((g) => <option key={g} value={g}>{g}</option>)}
        </select>{' '}µV/mm
      </label>
      <label>Page{' '}
        <select data-testid="page-seconds" value={settings.pageSeconds} onChange={(e) => set({ pageSeconds: Number(e.target.value) })}>
          {pageLengths.map((p) => <option key={p} value={p}>{p} s</option>)}
        </select>
      </label>
      <label>HP{' '}
        <select value={settings.filters.highPassHz ?? 0} onChange={(e) => filter({ highPassHz: Number(e.target.value) })}>
          {[0, 0.1, 0.3, 0.5, 1, 2, 5].map((v) => <option key={v} value={v}>{v === 0 ? 'off' : `${v} Hz`}</option>)}
        </select>
      </label>
      <label>LP{' '}
        <select value={settings.filters.lowPassHz ?? 0} onChange={(e) => filter({ lowPassHz: Number(e.target.value) })}>
          {[0, 15, 30, 35, 40, 70, 100].map((v) => <option key={v} value={v}>{v === 0 ? 'off' : `${v} Hz`}</option>)}
        </select>
      </label>
      <label>Notch{' '}
        <select value={settings.filters.notchHz ?? 0} onChange={(e) => filter({ notchHz: Number(e.target.value) })}>
          {[0, 50, 60].map((v) => <option key={v} value={v}>{v === 0 ? 'off' : `${v} Hz`}</option>)}
        </select>
      </label>
      <label title="Clip each trace to its row ± one row">
        <input type="checkbox" data-testid="clip" checked={settings.clip} onChange={(e) => set({ clip: e.target.checked })} /> Clip
      </label>
      <button onClick={() => setPanel(!panel)} data-testid="channels-button">Channels…</button>
      {panel && (
        <div className="channel-panel">
          <div>
            <h4>Shown traces</h4>
            {rows.map((label) => (
              <label key={label} className="check">
                <input type="checkbox" checked={!settings.hidden.has(label)} onChange={() => set({ hidden: toggle(settings.hidden, label) })} /> {label}
              </label>
            ))}
          </div>
          <div data-testid="bad-channels">
            <h4>Bad channels (saved)</h4>
            {channels.map((label) => (
              <label key={label} className="check">
                <input type="checkbox" checked={settings.bad.has(label)} onChange={() => onBadChange(toggle(settings.bad, label))} /> {label}
              </label>
            ))}
          </div>
        </div>
      )}
    </div>
  );
}

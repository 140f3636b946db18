/**
 * The EEG viewer page: toolbar (montage, gain, timebase, filters, channels), the trace canvas
 * driven by ViewerEngine, keyboard paging, annotations (click-drag or "a" to add, click to
 * edit, Save/Delete in the editor) and the CSA strip (click to jump).
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { api, type RecordingDetail } from '../lib/api.ts';
import { AnnotationIndex, type TimedAnnotation } from '../lib/annotation-index.ts';
import { timebaseForPageSeconds } from '../lib/display.ts';
import { markFlip, markOpen } from '../lib/perf.ts';
import { fetchSpan } from '../lib/page-pipeline.ts';
import type { SignalPage } from '@cajal/formats';
import { labelWidth, ViewerEngine, type ViewerSettings } from './viewer-engine.ts';
import { SpectrogramStrip } from './Spectrogram.tsx';
import { ViewerToolbar } from './ViewerToolbar.tsx';
import { AnnotationEditor, type AnnotationDraft } from './AnnotationEditor.tsx';
import { DeidentificationReport } from './DeidentificationReport.tsx';

const initialSettings: ViewerSettings = {
  montage: 'as-recorded',
  microvoltsPerMillimetre: 10,
  pageSeconds: 10,
  filters: { highPassHz: 0.5, lowPassHz: 70, notchHz: 0 },
  bad: new Set(),
  hidden: new Set(),
  clip: true,
};

function isTyping(target: EventTarget | null): boolean {
  return target instanceof HTMLElement && (target.tagName === 'INPUT' || target.tagName === 'TEXTAREA' || target.tagName === 'SELECT' || target.isContentEditable);
}

export function Viewer({ recordingId }: { recordingId: string }) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const host = useRef<HTMLDivElement>(null);
  const engine = useRef<ViewerEngine | undefined>(undefined);
  const [detail, setDetail] = useState<RecordingDetail>();
  const [error, setError] = useState('');
  const [pageError, setPageError] = useState('');
  const [settings, setSettings] = useState<ViewerSettings>(initialSettings);
  const [pageIndex, setPageIndex] = useState(0);
  const [annotations, setAnnotations] = useState(() => AnnotationIndex.from<TimedAnnotation>([]));
  const [draft, setDraft] = useState<AnnotationDraft>();
  const drag = useRef<{ startX: number; startSeconds: number } | undefined>(undefined);
  const firstPage = useRef<{ id: string; page: Promise<SignalPage> } | undefined>(undefined);
  const [firstDrawn, setFirstDrawn] = useState(false);

  useEffect(() => {
    // Answers to a superseded run of this effect (another recording, or React running it
    // twice) must not replace the state: a second `detail` would rebuild the engine at page 0.
    let current = true;
    markOpen();
    const header = api.recording(recordingId);
    // Ask for the first page alongside the header; should the server refuse a span past the
    // end of a short recording, ask again for the span the header allows.
    const guess = fetchSpan(0, initialSettings.pageSeconds, Number.POSITIVE_INFINITY);
    const page = api.signalPage(recordingId, guess.startSeconds, guess.durationSeconds).catch(() => header.then((d) => {
      const span = fetchSpan(0, initialSettings.pageSeconds, d.header.durationSeconds || d.recording.durationSeconds);
      return api.signalPage(recordingId, span.startSeconds, span.durationSeconds);
    }));
    page.catch(() => undefined);
    firstPage.current = { id: recordingId, page };
    header.then((d) => {
      if (!current) return;
      setDetail(d);
      setSettings((s) => ({ ...s, bad: new Set(d.header.channels.filter((c) => c.bad).map((c) => c.label)) }));
    }, (e: unknown) => current && setError((e as Error).message));
    api.annotations(recordingId).then((r) => current && setAnnotations(AnnotationIndex.from(r.annotations)), (e: unknown) => current && setError((e as Error).message));
    return () => {
      current = false;
    };
  }, [recordingId]);

  // Create the engine once the header is known.
  useEffect(() => {
    if (!detail || !canvas.current || !host.current) return;
    const e = new ViewerEngine(
      canvas.current,
      detail.header.channels.map((c) => ({ label: c.label, sampleRateHz: c.sampleRateHz })),
      detail.header.durationSeconds || detail.recording.durationSeconds,
      (start, duration) => api.signalPage(recordingId, start, duration),
      settings,
      (index, failure) => {
        setPageIndex(index);
        if (!failure) setFirstDrawn(true);
        setPageError(failure ? (failure as Error).message : '');
      },
    );
    engine.current = e;
    window.__cajalViewer = e;
    if (firstPage.current?.id === recordingId) e.seed(0, firstPage.current.page);
    e.resize(host.current.clientWidth, host.current.clientHeight);
    void e.show(0);
    const observer = new ResizeObserver(() => host.current && e.resize(host.current.clientWidth, host.current.clientHeight));
    observer.observe(host.current);
    return () => {
      observer.disconnect();
      e.dispose();
      engine.current = undefined;
      if (window.__cajalViewer === e) window.__cajalViewer = undefined;
    };
    // Settings reach the engine through the next effect; the engine is built once per recording.
  }, [detail, recordingId]);

  useEffect(() => {
    const e = engine.current;
    if (e && e.settings !== settings) e.setSettings(settings);
  }, [settings]);

  useEffect(() => {
    const e = engine.current;
    if (!e) return;
    e.selectedAnnotationId = draft?.id;
    e.draft = draft && !draft.id ? { startSeconds: draft.onsetSeconds, endSeconds: draft.onsetSeconds + draft.durationSeconds } : undefined;
    e.setAnnotations(annotations);
  }, [annotations, draft, detail]);

  const flipTo = (index: number): void => {
    const e = engine.current;
    if (!e) return;
    const target = Math.max(0, Math.min(e.lastPage, index));
    if (target === e.pageIndex) return;
    markFlip();
    void e.show(target);
  };

  useEffect(() => {
    const onKey = (event: KeyboardEvent): void => {
      const e = engine.current;
      if (!e || isTyping(event.target)) return;
      switch (event.key) {
        case 'PageDown': case 'ArrowRight': case ' ': flipTo(e.pageIndex + 1); break;
        case 'PageUp': case 'ArrowLeft': flipTo(e.pageIndex - 1); break;
        case 'Home': flipTo(0); break;
        case 'End': flipTo(e.lastPage); break;
        case 'ArrowUp': setSettings((s) => ({ ...s, microvoltsPerMillimetre: Math.max(1, s.microvoltsPerMillimetre / 1.5) })); break;
        case 'ArrowDown': setSettings((s) => ({ ...s, microvoltsPerMillimetre: Math.min(1000, s.microvoltsPerMillimetre * 1.5) })); break;
        case 'a': setDraft({ onsetSeconds: e.windowStartSeconds + e.settings.pageSeconds / 2, durationSeconds: 0, text: '' }); break;
        case 'Escape': setDraft(undefined); break;
        default: return;
      }
      event.preventDefault();
    };
    addEventListener('keydown', onKey);
    return () => removeEventListener('keydown', onKey);
  });

  const visibleOnPage = useMemo(() => {
    const start = pageIndex * settings.pageSeconds;
    return annotations.visible(start, start + settings.pageSeconds);
  }, [annotations, pageIndex, settings.pageSeconds]);

  const save = (a: AnnotationDraft): void => {
    const body = { onsetSeconds: a.onsetSeconds, durationSeconds: a.durationSeconds, text: a.text };
    const request = a.id ? api.updateAnnotation(a.id, body) : api.createAnnotation(recordingId, body);
    request.then((r) => {
      setAnnotations((index) => index.upsert(r.annotation));
      setDraft(undefined);
    }, (e: unknown) => setError((e as Error).message));
  };
  const remove = (id: string): void => {
    api.deleteAnnotation(id).then(() => {
      setAnnotations((index) => index.remove(id));
      setDraft(undefined);
    }, (e: unknown) => setError((e as Error).message));
  };

  if (error && !detail) return <p className="error" role="alert">{error}</p>;
  if (!detail) return <p className="muted">Opening recording…</p>;
  const e = engine.current;
  const lastPage = e?.lastPage ?? 0;
  const start = pageIndex * settings.pageSeconds;
  const plotWidth = (host.current?.clientWidth ?? 1000) - labelWidth;

  return (
    <section className="viewer">
      <div className="viewer-head">
        <a href={`#/projects/${encodeURIComponent(detail.recording.projectId)}`}>← Project</a>
        <b>{detail.recording.name}</b>
        {detail.recording.simulated && <span className="tag">simulated</span>}
        <DeidentificationReport report={detail.deidentification} />
        <span data-testid="page-status" data-page={pageIndex} data-montage={settings.montage}>
          page {pageIndex + 1} / {lastPage + 1} · {start.toFixed(1)}–{(start + settings.pageSeconds).toFixed(1)} s · {timebaseForPageSeconds(settings.pageSeconds, plotWidth).toFixed(1)} mm/s
        </span>
        {pageError && <span className="error" role="alert">{pageError}</span>}
        {error && <span className="error" role="alert">{error}</span>}
      </div>
      <ViewerToolbar
        settings={settings}
        onChange={setSettings}
        rows={e?.allRows.map((r) => r.label) ?? []}
        channels={detail.header.channels.map((c) => c.label)}
        onBadChange={(bad) => {
          // Shown at once (the checkbox follows the click); put back if the server refuses.
          const before = settings.bad;
          setSettings((s) => ({ ...s, bad }));
          api.setBadChannels(recordingId, [...bad]).catch((err: unknown) => {
            setSettings((s) => (s.bad === bad ? { ...s, bad: before } : s));
            setError((err as Error).message);
          });
        }}
        onPage={(delta) => flipTo(pageIndex + delta)}
      />
      <SpectrogramStrip ready={firstDrawn} recordingId={recordingId} durationSeconds={e?.durationSeconds ?? detail.recording.durationSeconds} windowStartSeconds={start} windowSeconds={settings.pageSeconds} onJump={(t) => flipTo(Math.floor(t / settings.pageSeconds))} />
      <div className="viewer-body">
        <div className="trace-host" ref={host}>
          <canvas
            ref={canvas}
            data-testid="viewer-canvas"
            onMouseDown={(m) => {
              const x = m.nativeEvent.offsetX;
              if (!engine.current || x < labelWidth) return;
              drag.current = { startX: x, startSeconds: engine.current.timeAt(x) };
            }}
            onMouseMove={(m) => {
              const d = drag.current;
              const en = engine.current;
              if (!d || !en || Math.abs(m.nativeEvent.offsetX - d.startX) < 4) return;
              const t = en.timeAt(m.nativeEvent.offsetX);
              en.draft = { startSeconds: d.startSeconds, endSeconds: t };
              en.redraw();
            }}
            onMouseUp={(m) => {
              const d = drag.current;
              const en = engine.current;
              drag.current = undefined;
              if (!d || !en) return;
              const t = en.timeAt(m.nativeEvent.offsetX);
              if (Math.abs(m.nativeEvent.offsetX - d.startX) >= 4) {
                setDraft({ onsetSeconds: Math.min(t, d.startSeconds), durationSeconds: Math.abs(t - d.startSeconds), text: '' });
              } else {
                const hit = en.annotations.hit(t, (3 * settings.pageSeconds) / plotWidth);
                setDraft(hit ? { id: hit.id, onsetSeconds: hit.onsetSeconds, durationSeconds: hit.durationSeconds, text: hit.text } : undefined);
              }
            }}
          />
        </div>
        <aside className="side">
          {draft && <AnnotationEditor key={draft.id ?? `new-${draft.onsetSeconds}`} draft={draft} onSave={save} onDelete={remove} onCancel={() => setDraft(undefined)} />}
          <h4>Annotations here <span className="muted">({annotations.size} in all)</span></h4>
          <ul className="annotation-list" data-testid="page-annotations">
            {visibleOnPage.slice(0, 50).map((a) => (
              <li key={a.id}>
                <button className="link" onClick={() => setDraft({ id: a.id, onsetSeconds: a.onsetSeconds, durationSeconds: a.durationSeconds, text: a.text })}>
                  {a.onsetSeconds.toFixed(1)} s {a.text || '(no text)'}
                </button>
              </li>
            ))}
          </ul>
          <p className="muted small">Keys: PageUp/PageDown or ←/→ page, Home/End, ↑/↓ gain, “a” annotate, drag to mark a span, click a mark to edit.</p>
        </aside>
      </div>
    </section>
  );
}

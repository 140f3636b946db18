/**
 * The imperative core of the EEG viewer: owns the canvas, the page cache and prefetch, the
 * montage and filter settings, and redraws without React in the loop (a page flip is a cache
 * lookup, montage + filters over a few hundred thousand samples, and one canvas pass).
 */
import { AnnotationIndex, type TimedAnnotation } from '../lib/annotation-index.ts';
import { lastPageIndex } from '../lib/display.ts';
import { drawPage, samplePositions, timeOfX, type PageFrame, type PiecePositions } from '../lib/draw.ts';
import type { SignalPage } from '@cajal/formats';
import { deriveMontageRows, type DisplayFilterSettings, type MontageRow } from '@cajal/signal';
import { PageCache } from '../lib/page-cache.ts';
import { buildTraces, fetchSpan, type DisplayTrace } from '../lib/page-pipeline.ts';
import { markDrawn } from '../lib/perf.ts';

/** The montages the viewer offers (@cajal/signal's ids), with the labels the toolbar shows. */
export const viewerMontages = [
  { id: 'as-recorded', label: 'as recorded' },
  { id: 'average', label: 'average reference' },
  { id: 'double-banana', label: 'bipolar (double banana)' },
] as const;

/** One of the viewer's montage ids. */
export type ViewerMontage = (typeof viewerMontages)[number]['id'];

/** What the engine drew last, per trace: its label and the time and x of every sample, piece by piece. */
export interface DrawnTrace {
  label: string;
  sampleRateHz: number;
  pieces: PiecePositions[];
  /** The samples drawn (µV, after montage and filters), piece by piece. */
  samples: number[][];
}

declare global {
  interface Window {
    /** The viewer's engine while a recording is open (browser tests read `drawnTraces()` from it). */
    __cajalViewer?: ViewerEngine;
  }
}

/** Viewer settings the toolbar changes. */
export interface ViewerSettings {
  montage: ViewerMontage;
  microvoltsPerMillimetre: number;
  pageSeconds: number;
  filters: DisplayFilterSettings;
  bad: ReadonlySet<string>;
  /** Labels of montage rows the user hid (channel selection). */
  hidden: ReadonlySet<string>;
  /** Clip each trace to its row ± one row. */
  clip: boolean;
}

/** Channel facts from the recording header. */
export interface EngineChannel { label: string; sampleRateHz: number }

export type PageLoader = (startSeconds: number, durationSeconds: number) => Promise<SignalPage>;

export const labelWidth = 92;

export class ViewerEngine {
  private readonly cache = new PageCache<SignalPage>(10);
  private rows: MontageRow[] = [];
  /** Every row of the current montage, hidden ones included (for the channel panel). */
  allRows: MontageRow[] = [];
  private traces: DisplayTrace[] = [];
  private tracesKey = '';
  private width = 800;
  private height = 600;
  private generation = 0;
  private disposed = false;
  pageIndex = 0;
  annotations = AnnotationIndex.from<TimedAnnotation>([]);
  selectedAnnotationId: string | undefined;
  draft: { startSeconds: number; endSeconds: number } | undefined;
  lastError: unknown;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly channels: readonly EngineChannel[],
    readonly durationSeconds: number,
    private readonly load: PageLoader,
    public settings: ViewerSettings,
    private readonly onPage: (pageIndex: number, error?: unknown) => void,
  ) {
    this.updateRows();
  }

  get lastPage(): number {
    return lastPageIndex(this.durationSeconds, this.settings.pageSeconds);
  }

  get windowStartSeconds(): number {
    return this.pageIndex * this.settings.pageSeconds;
  }

  /** Apply new settings; refetches only when the page length changed. */
  setSettings(settings: ViewerSettings): void {
    const startSeconds = this.windowStartSeconds;
    const lengthChanged = settings.pageSeconds !== this.settings.pageSeconds;
    this.settings = settings;
    this.updateRows();
    this.tracesKey = '';
    if (lengthChanged) this.pageIndex = Math.min(this.lastPage, Math.floor(startSeconds / settings.pageSeconds));
    void this.show(this.pageIndex);
  }

  /** Start with page `pageIndex` already requested (saves a round trip on open). */
  seed(pageIndex: number, page: Promise<SignalPage>): void {
    this.cache.seed(this.key(pageIndex), page);
  }

  /** Resize the drawing surface to CSS size (handles devicePixelRatio). */
  resize(width: number, height: number): void {
    this.width = Math.max(200, Math.floor(width));
    this.height = Math.max(100, Math.floor(height));
    const ratio = globalThis.devicePixelRatio || 1;
    this.canvas.width = Math.round(this.width * ratio);
    this.canvas.height = Math.round(this.height * ratio);
    this.canvas.style.width = `${this.width}px`;
    this.canvas.style.height = `${this.height}px`;
    this.redraw();
  }

  setAnnotations(index: AnnotationIndex<TimedAnnotation>): void {
    this.annotations = index;
    this.redraw();
  }

  private updateRows(): void {
    this.allRows = deriveMontageRows(this.settings.montage, this.channels, { bad: this.settings.bad });
    this.rows = this.allRows.filter((row) => !this.settings.hidden.has(row.label));
  }

  private key(pageIndex: number): string {
    return `${this.settings.pageSeconds}:${pageIndex}`;
  }

  private loader(pageIndex: number): () => Promise<SignalPage> {
    const span = fetchSpan(pageIndex * this.settings.pageSeconds, this.settings.pageSeconds, this.durationSeconds);
    return () => this.load(span.startSeconds, span.durationSeconds);
  }

  /**
   * Stop this engine: a load still in flight neither draws nor reports its page, and nothing
   * more is prefetched. The viewer calls it when the engine is replaced (another recording, or
   * React running an effect twice), so a stale engine cannot move the page shown.
   */
  dispose(): void {
    this.disposed = true;
    this.generation++;
  }

  /** Show page `pageIndex` (clamped): from the cache when there, then prefetch its neighbours. */
  async show(pageIndex: number): Promise<void> {
    if (this.disposed) return;
    const index = Math.max(0, Math.min(this.lastPage, pageIndex));
    const generation = ++this.generation;
    this.pageIndex = index;
    try {
      const page = this.cache.peek(this.key(index)) ?? (await this.cache.get(this.key(index), this.loader(index)));
      if (generation !== this.generation) return;
      this.traces = buildTraces(page, this.rows, this.settings.filters, index * this.settings.pageSeconds, this.settings.pageSeconds, this.settings.bad);
      this.tracesKey = this.key(index);
      this.redraw();
      markDrawn();
      this.lastError = undefined;
      this.onPage(index);
    } catch (error) {
      if (generation !== this.generation) return;
      this.lastError = error;
      this.onPage(index, error);
    }
    if (this.disposed) return;
    for (const neighbour of [index + 1, index - 1, index + 2]) {
      if (neighbour >= 0 && neighbour <= this.lastPage) this.cache.prefetch(this.key(neighbour), this.loader(neighbour));
    }
  }

  /** The frame geometry (for mouse mapping). */
  frame(): PageFrame {
    const windowStartSeconds = this.windowStartSeconds;
    return {
      width: this.width,
      height: this.height,
      labelWidth,
      windowStartSeconds,
      windowSeconds: this.settings.pageSeconds,
      microvoltsPerMillimetre: this.settings.microvoltsPerMillimetre,
      traces: this.tracesKey ? this.traces : [],
      annotations: this.annotations.visible(windowStartSeconds, windowStartSeconds + this.settings.pageSeconds),
      selectedAnnotationId: this.selectedAnnotationId,
      draft: this.draft,
      clip: this.settings.clip,
    };
  }

  /**
   * The traces as last drawn: per trace, the time (s) and x (CSS px) of every sample and the
   * values drawn (for tests and tools; computed on demand).
   *
   * @example engine.drawnTraces()[0].pieces[0].times[0] // 0.39 for a first record at +0.39 s
   */
  drawnTraces(): DrawnTrace[] {
    const frame = this.frame();
    return frame.traces.map((trace) => ({
      label: trace.label,
      sampleRateHz: trace.sampleRateHz,
      pieces: trace.pieces.map((piece) => samplePositions(frame, piece, trace.sampleRateHz)),
      samples: trace.pieces.map((piece) => Array.from(piece.samples)),
    }));
  }

  /** Time (s) under the CSS x coordinate. */
  timeAt(x: number): number {
    return timeOfX(this.frame(), x);
  }

  redraw(): void {
    const context = this.canvas.getContext('2d');
    if (!context) return;
    const ratio = globalThis.devicePixelRatio || 1;
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    drawPage(context, this.frame());
  }
}

/**
 * Canvas 2-D drawing of one EEG page: second grid, traces (min/max envelope per pixel column
 * when there are more samples than pixels, a polyline otherwise; each contiguous piece on its
 * own, at its own time, so nothing is drawn across a gap), channel labels, and the
 * visible annotations as translucent bands (no DOM node per annotation).
 *
 * @example drawPage(canvas.getContext('2d')!, { width: 1200, height: 700, ... });
 */
import { minMaxColumns, pixelsPerMicrovolt } from './display.ts';
import type { TimedAnnotation } from './annotation-index.ts';
import type { DisplayTrace, TracePiece } from './page-pipeline.ts';

/** What one frame shows. Sizes are CSS pixels; the context is already scaled by devicePixelRatio. */
export interface PageFrame {
  width: number;
  height: number;
  labelWidth: number;
  windowStartSeconds: number;
  windowSeconds: number;
  microvoltsPerMillimetre: number;
  traces: readonly DisplayTrace[];
  annotations: readonly TimedAnnotation[];
  selectedAnnotationId?: string;
  draft?: { startSeconds: number; endSeconds: number };
  /**
   * Clip each trace to its row plus one row above and below (default true), so a channel of
   * large amplitude (DC, ECG, an artefact) cannot black out the page.
   */
  clip?: boolean;
}

/** x (CSS px) of `timeSeconds` in the frame. */
export function xOfTime(frame: Pick<PageFrame, 'width' | 'labelWidth' | 'windowStartSeconds' | 'windowSeconds'>, timeSeconds: number): number {
  return frame.labelWidth + ((timeSeconds - frame.windowStartSeconds) / frame.windowSeconds) * (frame.width - frame.labelWidth);
}

/** Time (s) at x (CSS px) in the frame. */
export function timeOfX(frame: Pick<PageFrame, 'width' | 'labelWidth' | 'windowStartSeconds' | 'windowSeconds'>, x: number): number {
  return frame.windowStartSeconds + ((x - frame.labelWidth) / (frame.width - frame.labelWidth)) * frame.windowSeconds;
}

function drawAnnotations(ctx: CanvasRenderingContext2D, frame: PageFrame): void {
  const { height, annotations } = frame;
  const showText = annotations.length <= 200;
  ctx.font = '11px system-ui, sans-serif';
  ctx.textBaseline = 'top';
  for (const a of annotations) {
    const x0 = Math.max(frame.labelWidth, xOfTime(frame, a.onsetSeconds));
    const x1 = Math.min(frame.width, xOfTime(frame, a.onsetSeconds + a.durationSeconds));
    const selected = a.id === frame.selectedAnnotationId;
    ctx.fillStyle = selected ? 'rgba(255, 170, 0, 0.28)' : 'rgba(70, 130, 230, 0.16)';
    ctx.fillRect(x0, 0, Math.max(2, x1 - x0), height);
    ctx.fillStyle = selected ? '#b36b00' : '#2255aa';
    ctx.fillRect(x0, 0, 2, height);
    if (showText && a.text) ctx.fillText(a.text, x0 + 4, 2, Math.max(40, x1 - x0 + 120));
  }
  if (frame.draft) {
    const x0 = xOfTime(frame, Math.min(frame.draft.startSeconds, frame.draft.endSeconds));
    const x1 = xOfTime(frame, Math.max(frame.draft.startSeconds, frame.draft.endSeconds));
    ctx.fillStyle = 'rgba(40, 160, 80, 0.25)';
    ctx.fillRect(x0, 0, Math.max(2, x1 - x0), height);
  }
}

function drawGrid(ctx: CanvasRenderingContext2D, frame: PageFrame): void {
  ctx.strokeStyle = '#e6e6e6';
  ctx.lineWidth = 1;
  ctx.beginPath();
  const first = Math.ceil(frame.windowStartSeconds);
  for (let t = first; t <= frame.windowStartSeconds + frame.windowSeconds; t++) {
    const x = Math.round(xOfTime(frame, t)) + 0.5;
    ctx.moveTo(x, 0);
    ctx.lineTo(x, frame.height);
  }
  ctx.stroke();
  ctx.fillStyle = '#888';
  ctx.font = '10px system-ui, sans-serif';
  ctx.textBaseline = 'bottom';
  for (let t = first; t <= frame.windowStartSeconds + frame.windowSeconds; t++) {
    ctx.fillText(`${t}s`, xOfTime(frame, t) + 2, frame.height - 1);
  }
}

/** Where the samples of one drawn piece are: their times (s) and x positions (CSS px). */
export interface PiecePositions {
  times: number[];
  xs: number[];
}

/**
 * The time and x of every sample of `piece` (drawn at `sampleRateHz`) in the frame: sample i
 * is at piece.startSeconds + i / rate, x = xOfTime of that. The drawing uses the same positions.
 *
 * @example samplePositions(frame, trace.pieces[0], trace.sampleRateHz).xs[0]
 */
export function samplePositions(frame: Pick<PageFrame, 'width' | 'labelWidth' | 'windowStartSeconds' | 'windowSeconds'>, piece: TracePiece, sampleRateHz: number): PiecePositions {
  const times: number[] = new Array<number>(piece.samples.length);
  const xs: number[] = new Array<number>(piece.samples.length);
  for (let i = 0; i < piece.samples.length; i++) {
    times[i] = piece.startSeconds + i / sampleRateHz;
    xs[i] = xOfTime(frame, times[i] as number);
  }
  return { times, xs };
}

function drawPiece(ctx: CanvasRenderingContext2D, frame: PageFrame, piece: TracePiece, sampleRateHz: number, baseline: number, scale: number): void {
  const plotWidth = frame.width - frame.labelWidth;
  const n = piece.samples.length;
  if (n === 0) return;
  const x0 = xOfTime(frame, piece.startSeconds);
  const pxPerSample = plotWidth / (frame.windowSeconds * sampleRateHz);
  if (pxPerSample < 0.25) {
    // More than 4 samples per pixel: one min/max zigzag per column keeps every peak and stays connected.
    const columns = Math.max(1, Math.round(n * pxPerSample));
    const envelope = minMaxColumns(piece.samples, 0, n, columns);
    ctx.moveTo(x0 + 0.5, baseline - (envelope[0] as number) * scale);
    for (let c = 0; c < columns; c++) {
      const x = x0 + c + 0.5;
      const low = baseline - (envelope[2 * c] as number) * scale;
      const high = baseline - (envelope[2 * c + 1] as number) * scale;
      if (c % 2 === 0) {
        ctx.lineTo(x, low);
        ctx.lineTo(x, high);
      } else {
        ctx.lineTo(x, high);
        ctx.lineTo(x, low);
      }
    }
  } else {
    ctx.moveTo(x0, baseline - (piece.samples[0] as number) * scale);
    for (let i = 1; i < n; i++) ctx.lineTo(x0 + i * pxPerSample, baseline - (piece.samples[i] as number) * scale);
  }
}

function drawTrace(ctx: CanvasRenderingContext2D, frame: PageFrame, trace: DisplayTrace, baseline: number, scale: number): void {
  if (trace.pieces.length === 0) return;
  ctx.beginPath();
  // Each piece starts with its own moveTo: no line joins the two sides of a gap.
  for (const piece of trace.pieces) drawPiece(ctx, frame, piece, trace.sampleRateHz, baseline, scale);
  ctx.strokeStyle = trace.bad ? '#c8c8c8' : '#111';
  ctx.lineWidth = 1;
  ctx.stroke();
}

/** Draw the whole frame (clears first). */
export function drawPage(ctx: CanvasRenderingContext2D, frame: PageFrame): void {
  ctx.clearRect(0, 0, frame.width, frame.height);
  ctx.fillStyle = '#fff';
  ctx.fillRect(0, 0, frame.width, frame.height);
  drawGrid(ctx, frame);
  drawAnnotations(ctx, frame);
  const rows = Math.max(1, frame.traces.length);
  const rowHeight = (frame.height - 14) / rows;
  const scale = pixelsPerMicrovolt(frame.microvoltsPerMillimetre);
  ctx.save();
  ctx.beginPath();
  ctx.rect(frame.labelWidth, 0, frame.width - frame.labelWidth, frame.height);
  ctx.clip();
  const clip = frame.clip ?? true;
  frame.traces.forEach((trace, i) => {
    if (clip) {
      ctx.save();
      ctx.beginPath();
      ctx.rect(frame.labelWidth, (i - 1) * rowHeight, frame.width - frame.labelWidth, 3 * rowHeight);
      ctx.clip();
    }
    drawTrace(ctx, frame, trace, (i + 0.5) * rowHeight, scale);
    if (clip) ctx.restore();
  });
  ctx.restore();
  ctx.font = '11px system-ui, sans-serif';
  ctx.textBaseline = 'middle';
  frame.traces.forEach((trace, i) => {
    ctx.fillStyle = trace.bad ? '#b00' : '#333';
    ctx.fillText(trace.bad ? `${trace.label} (bad)` : trace.label, 4, (i + 0.5) * rowHeight, frame.labelWidth - 8);
  });
}

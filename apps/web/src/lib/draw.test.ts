import { describe, expect, it } from 'vitest';
import { drawPage, samplePositions, type PageFrame } from './draw.ts';

/** A 2-D context stand-in that records rect() calls and the y of every lineTo(). */
function recorder() {
  const rects: number[][] = [];
  const ys: number[] = [];
  const ctx = new Proxy({} as Record<string, unknown>, {
    get(target, key: string) {
      if (key === 'rect') return (...a: number[]) => rects.push(a);
      if (key === 'lineTo' || key === 'moveTo') return (_x: number, y: number) => ys.push(y);
      if (key in target) return target[key];
      return () => undefined;
    },
    set(target, key: string, value) {
      target[key] = value;
      return true;
    },
  });
  return { ctx: ctx as unknown as CanvasRenderingContext2D, rects, ys };
}

const frame = (clip?: boolean): PageFrame => ({
  width: 600, height: 314, labelWidth: 100, windowStartSeconds: 0, windowSeconds: 1, microvoltsPerMillimetre: 10,
  traces: [0, 1, 2].map((i) => ({ label: `c${i}`, sampleRateHz: 100, pieces: [{ startSeconds: 0, samples: new Float32Array(100).fill(i === 1 ? 5000 : 0) }], bad: false })),
  annotations: [],
  ...(clip === undefined ? {} : { clip }),
});

describe('drawPage', () => {
  it('clips each trace to its row ± one row by default (a 5 mV channel cannot cover the page)', () => {
    const { ctx, rects } = recorder();
    drawPage(ctx, frame());
    // First rect: the plot area; then one per trace: rows of 100 px, so [-100, 200), [0, 300), [100, 400).
    expect(rects.slice(1).map((r) => [r[1], r[3]])).toEqual([[-100, 300], [0, 300], [100, 300]]);
  });

  it('draws unclipped when clip is false; the large trace leaves its row', () => {
    const { ctx, rects, ys } = recorder();
    drawPage(ctx, frame(false));
    expect(rects).toHaveLength(1);
    expect(Math.min(...ys)).toBeLessThan(-1000);
  });
});

describe('drawPage with a gap', () => {
  it('starts each piece with its own moveTo at the piece time: no line crosses the gap', () => {
    const moves: number[] = [];
    const lines: number[] = [];
    const ctx = new Proxy({} as Record<string, unknown>, {
      get(target, key: string) {
        if (key === 'moveTo') return (x: number) => moves.push(x);
        if (key === 'lineTo') return (x: number) => lines.push(x);
        if (key in target) return target[key];
        return () => undefined;
      },
      set(target, key: string, value) {
        target[key] = value;
        return true;
      },
    }) as unknown as CanvasRenderingContext2D;
    const pieces = [{ startSeconds: 0, samples: new Float32Array(10) }, { startSeconds: 0.6, samples: new Float32Array(10) }];
    const gapFrame: PageFrame = { ...frame(), windowSeconds: 1, traces: [{ label: 'c', sampleRateHz: 40, pieces, bad: false }] };
    drawPage(ctx, gapFrame);
    // Grid lines are moveTo/lineTo pairs at whole seconds (x 100 and 600); the trace adds two moveTo.
    const traceMoves = moves.filter((x) => x !== 100.5 && x !== 600.5);
    expect(traceMoves).toEqual([100, 100 + 0.6 * 500]);
    const gapStart = 100 + (9 / 40) * 500;
    expect(lines.filter((x) => x > gapStart + 1e-9 && x < 100 + 0.6 * 500 - 1e-9)).toEqual([]);
    const positions = samplePositions(gapFrame, pieces[1]!, 40);
    expect(positions.times[0]).toBe(0.6);
    expect(positions.xs[0]).toBe(400);
  });
});

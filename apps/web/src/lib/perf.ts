/**
 * Performance marks of the viewer: "recording opened (viewer mounted) -> first page drawn"
 * (and the same draw timed from the navigation start), and each page flip
 * (key press or click -> page drawn, measured when the synchronous canvas drawing returns).
 * Measures land in the browser's performance timeline (names below) and on
 * `window.__cajalPerf` for tests and the bench.
 *
 * @example markOpen(); ...; markDrawn(); window.__cajalPerf.firstPageMs // [123.4]
 */

/** What the viewer exposes on `window.__cajalPerf` (milliseconds). */
export interface ViewerPerf {
  firstPageMs: number[];
  /** The same first draws timed from the navigation start (app load, sign-in check and header included). */
  firstPageSinceNavigationMs: number[];
  flipMs: number[];
  pagesDrawn: number;
}

declare global {
  interface Window {
    __cajalPerf?: ViewerPerf;
  }
}

/** Measure names in the performance timeline. */
export const perfNames = { open: 'cajal:open', flip: 'cajal:flip', firstPage: 'cajal:open->first-page', pageFlip: 'cajal:page-flip' } as const;

let pending: 'open' | 'flip' | undefined;

function record(): ViewerPerf {
  const w = globalThis as unknown as { __cajalPerf?: ViewerPerf };
  w.__cajalPerf ??= { firstPageMs: [], firstPageSinceNavigationMs: [], flipMs: [], pagesDrawn: 0 };
  return w.__cajalPerf;
}

/** A recording was opened (call before fetching its header). */
export function markOpen(): void {
  performance.mark(perfNames.open);
  pending = 'open';
}

/** The user asked for another page (ignored while the first page is still pending). */
export function markFlip(): void {
  if (pending === 'open') return;
  performance.mark(perfNames.flip);
  pending = 'flip';
}

/** A page was drawn: closes the pending open or flip measure. */
export function markDrawn(): void {
  const perf = record();
  perf.pagesDrawn++;
  if (pending === 'open') {
    perf.firstPageMs.push(performance.measure(perfNames.firstPage, perfNames.open).duration);
    perf.firstPageSinceNavigationMs.push(performance.now());
  } else if (pending === 'flip') {
    perf.flipMs.push(performance.measure(perfNames.pageFlip, perfNames.flip).duration);
  }
  pending = undefined;
}

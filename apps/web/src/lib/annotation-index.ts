/**
 * Annotations indexed by time for drawing: a sorted array (by onset) and binary search, so a
 * page of a recording with tens of thousands of annotations finds its few visible ones in
 * O(log n + k). Immutable: edits return a new index (O(n), fine for interactive edits).
 *
 * @example
 *   const index = AnnotationIndex.from(annotations);
 *   for (const a of index.visible(120, 130)) draw(a);
 */

/** An annotation as the API returns it (apps/server/API.md). */
export interface TimedAnnotation {
  id: string;
  onsetSeconds: number;
  durationSeconds: number;
  text: string;
  channels?: string[];
  createdBy?: string;
  updatedAt?: string;
}

function lowerBound(items: readonly TimedAnnotation[], onsetSeconds: number): number {
  let low = 0;
  let high = items.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if ((items[mid] as TimedAnnotation).onsetSeconds < onsetSeconds) low = mid + 1;
    else high = mid;
  }
  return low;
}

/** Sorted, searchable set of annotations. */
export class AnnotationIndex<A extends TimedAnnotation = TimedAnnotation> {
  private constructor(
    private readonly items: readonly A[],
    private readonly longestSeconds: number,
  ) {}

  /** Index `annotations` (copied and sorted by onset, then id). */
  static from<A extends TimedAnnotation>(annotations: readonly A[]): AnnotationIndex<A> {
    const items = [...annotations].sort((x, y) => x.onsetSeconds - y.onsetSeconds || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
    let longest = 0;
    for (const a of items) longest = Math.max(longest, a.durationSeconds);
    return new AnnotationIndex(items, longest);
  }

  /** How many annotations are indexed. */
  get size(): number {
    return this.items.length;
  }

  /** All annotations in onset order. */
  all(): readonly A[] {
    return this.items;
  }

  /**
   * Annotations overlapping [startSeconds, endSeconds): onset < end and onset + duration >
   * start (a zero-length annotation counts when start <= onset < end).
   */
  visible(startSeconds: number, endSeconds: number): A[] {
    const out: A[] = [];
    for (let i = lowerBound(this.items, startSeconds - this.longestSeconds); i < this.items.length; i++) {
      const a = this.items[i] as A;
      if (a.onsetSeconds >= endSeconds) break;
      const end = a.onsetSeconds + a.durationSeconds;
      if (end > startSeconds || (a.durationSeconds === 0 && a.onsetSeconds >= startSeconds)) out.push(a);
    }
    return out;
  }

  /** The annotation under `timeSeconds` (within `toleranceSeconds`), the shortest when several. */
  hit(timeSeconds: number, toleranceSeconds = 0): A | undefined {
    let best: A | undefined;
    for (const a of this.visible(timeSeconds - toleranceSeconds, timeSeconds + toleranceSeconds + 1e-9)) {
      if (!best || a.durationSeconds < best.durationSeconds) best = a;
    }
    return best;
  }

  /** The first annotation starting strictly after `timeSeconds` (for "next event" keys). */
  nextAfter(timeSeconds: number): A | undefined {
    let i = lowerBound(this.items, timeSeconds);
    while (i < this.items.length && (this.items[i] as A).onsetSeconds <= timeSeconds) i++;
    return this.items[i];
  }

  /** A new index with `annotation` added, or replacing the one with the same id. */
  upsert(annotation: A): AnnotationIndex<A> {
    return AnnotationIndex.from([...this.items.filter((a) => a.id !== annotation.id), annotation]);
  }

  /** A new index without the annotation `id`. */
  remove(id: string): AnnotationIndex<A> {
    return AnnotationIndex.from(this.items.filter((a) => a.id !== id));
  }
}

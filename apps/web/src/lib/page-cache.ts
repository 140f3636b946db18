/**
 * A small least-recently-used cache of loaded pages that also shares in-flight loads, so a
 * prefetch of the next page and the user's flip to it cost one request.
 *
 * @example
 *   const cache = new PageCache<SignalPage>(8);
 *   const page = await cache.get('rec1:12', () => fetchPage(12));
 *   cache.prefetch('rec1:13', () => fetchPage(13));
 */
export class PageCache<Value> {
  private readonly values = new Map<string, Value>();
  private readonly pending = new Map<string, Promise<Value>>();
  /** Number of loads started (for tests and diagnostics). */
  loadCount = 0;

  /** `capacity`: how many loaded pages are kept (default 8, at least 1). */
  constructor(readonly capacity = 8) {
    if (!(capacity >= 1)) throw new RangeError(`page cache capacity ${capacity} must be at least 1`);
  }

  /** The cached value, marked most recently used; undefined when absent. */
  peek(key: string): Value | undefined {
    const value = this.values.get(key);
    if (value !== undefined) {
      this.values.delete(key);
      this.values.set(key, value);
    }
    return value;
  }

  /** True when the key is loaded or loading. */
  has(key: string): boolean {
    return this.values.has(key) || this.pending.has(key);
  }

  /** The value for `key`, loading it with `load` unless cached or already loading. A failed load is not cached. */
  get(key: string, load: () => Promise<Value>): Promise<Value> {
    const cached = this.peek(key);
    if (cached !== undefined) return Promise.resolve(cached);
    const inFlight = this.pending.get(key);
    if (inFlight) return inFlight;
    this.loadCount++;
    const promise = load().then(
      (value) => {
        this.pending.delete(key);
        this.store(key, value);
        return value;
      },
      (error: unknown) => {
        this.pending.delete(key);
        throw error;
      },
    );
    this.pending.set(key, promise);
    return promise;
  }

  /** Start loading `key` in the background; errors are swallowed (the real get retries). */
  prefetch(key: string, load: () => Promise<Value>): void {
    if (this.has(key)) return;
    this.get(key, load).catch(() => undefined);
  }

  /** Hand the cache a load already started elsewhere (e.g. the first page, requested alongside the header). */
  seed(key: string, promise: Promise<Value>): void {
    if (this.has(key)) return;
    this.get(key, () => promise).catch(() => undefined);
  }

  /** Forget everything (e.g. when the recording or page length changes). */
  clear(): void {
    this.values.clear();
    this.pending.clear();
  }

  /** Keys held, least recently used first. */
  keys(): string[] {
    return [...this.values.keys()];
  }

  private store(key: string, value: Value): void {
    this.values.delete(key);
    this.values.set(key, value);
    while (this.values.size > this.capacity) {
      const oldest = this.values.keys().next().value as string;
      this.values.delete(oldest);
    }
  }
}

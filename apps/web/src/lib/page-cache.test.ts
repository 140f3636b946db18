import { describe, expect, it } from 'vitest';
import { PageCache } from './page-cache.ts';

describe('PageCache', () => {
  it('shares an in-flight load between a prefetch and a get (one load)', async () => {
    const cache = new PageCache<number>(2);
    let release: (v: number) => void = () => undefined;
    cache.prefetch('a', () => new Promise<number>((resolve) => (release = resolve)));
    const got = cache.get('a', () => Promise.resolve(99));
    release(1);
    expect(await got).toBe(1);
    expect(cache.loadCount).toBe(1);
  });

  it('evicts the least recently used page beyond capacity', async () => {
    const cache = new PageCache<string>(2);
    await cache.get('1', async () => 'one');
    await cache.get('2', async () => 'two');
    cache.peek('1');
    await cache.get('3', async () => 'three');
    expect(cache.keys()).toEqual(['1', '3']);
    expect(cache.peek('2')).toBeUndefined();
  });

  it('does not cache a failed load, so the next get retries', async () => {
    const cache = new PageCache<string>(2);
    await expect(cache.get('x', async () => Promise.reject(new Error('offline')))).rejects.toThrow('offline');
    expect(cache.has('x')).toBe(false);
    expect(await cache.get('x', async () => 'ok')).toBe('ok');
    expect(cache.loadCount).toBe(2);
  });

  it('rejects a capacity below 1', () => {
    expect(() => new PageCache(0)).toThrow(/at least 1/);
  });
});

import { describe, expect, it } from 'vitest';
import { createRandom } from '@cajal/core';
import { AnnotationIndex, type TimedAnnotation } from './annotation-index.ts';

function make(count: number, seed: number): TimedAnnotation[] {
  const random = createRandom(seed);
  return Array.from({ length: count }, (_, i) => ({
    id: `a${i}`,
    onsetSeconds: random.uniform() * 3600,
    durationSeconds: random.uniform() < 0.3 ? 0 : random.uniform() * 30,
    text: `event ${i}`,
  }));
}

describe('AnnotationIndex', () => {
  it('criterion: visible() equals a brute-force overlap scan for 10,000 random annotations and 200 windows', () => {
    const annotations = make(10_000, 11);
    const index = AnnotationIndex.from(annotations);
    const random = createRandom(12);
    for (let k = 0; k < 200; k++) {
      const start = random.uniform() * 3600;
      const end = start + 10;
      const expected = annotations
        .filter((a) => a.onsetSeconds < end && (a.onsetSeconds + a.durationSeconds > start || (a.durationSeconds === 0 && a.onsetSeconds >= start)))
        .map((a) => a.id)
        .sort();
      expect(index.visible(start, end).map((a) => a.id).sort()).toEqual(expected);
    }
  });

  it('returns annotations sorted by onset and keeps a long one that started pages earlier', () => {
    const index = AnnotationIndex.from([
      { id: 'late', onsetSeconds: 50, durationSeconds: 1, text: '' },
      { id: 'long', onsetSeconds: 0, durationSeconds: 100, text: '' },
      { id: 'mid', onsetSeconds: 45, durationSeconds: 0, text: '' },
    ]);
    expect(index.all().map((a) => a.id)).toEqual(['long', 'mid', 'late']);
    expect(index.visible(40, 50).map((a) => a.id)).toEqual(['long', 'mid']);
    expect(index.hit(45.1, 0.2)?.id).toBe('mid');
    expect(index.nextAfter(45)?.id).toBe('late');
  });

  it('upsert replaces by id and remove drops it, leaving the original index untouched', () => {
    const index = AnnotationIndex.from([{ id: 'x', onsetSeconds: 1, durationSeconds: 1, text: 'a' }]);
    const edited = index.upsert({ id: 'x', onsetSeconds: 5, durationSeconds: 1, text: 'b' });
    expect(edited.visible(4, 6).map((a) => a.text)).toEqual(['b']);
    expect(index.visible(0, 2).map((a) => a.text)).toEqual(['a']);
    expect(edited.remove('x').size).toBe(0);
  });
});

import { describe, expect, it } from 'vitest';
import { dotChart } from './dot-chart.ts';

describe('dotChart', () => {
  it('places each value on the axis (clamped to the domain), one row each, with its tooltip', () => {
    // 640 px wide, labels 110 px: the axis spans x 110..620 for 7..14 Hz.
    const svg = dotChart([{ label: 'O1', value: 10.5 }, { label: '<x>', value: 20 }], { id: 'peak', domain: [7, 14], unit: 'Hz' });
    const dots = [...svg.matchAll(/<circle cx="([\d.]+)" cy="([\d.]+)"[^>]*><title>([^<]*)<\/title>/g)].map((m) => [Number(m[1]), Number(m[2]), m[3]]);
    expect(dots).toEqual([
      [365, 11, 'O1: 10.50 Hz'],
      [620, 27, '&lt;x&gt;: 20.00 Hz'],
    ]);
    // Default ticks: round values over the domain.
    expect([...svg.matchAll(/>([\d.]+) Hz<\/text>/g)].map((m) => Number(m[1]))).toEqual([8, 10, 12, 14]);
  });
});

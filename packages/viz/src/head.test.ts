import { describe, expect, it } from 'vitest';
import { connectivityGraph } from './connectivity-graph.ts';
import { headMap, headRadius, type HeadGrid, type ScalpValue } from './head.ts';

// 18 electrodes on two rings and one at the vertex, value = u (a left-right gradient).
const points: ScalpValue[] = [
  { label: 'Cz', u: 0, v: 0, value: 0 },
  ...Array.from({ length: 18 }, (_, k) => {
    const ring = k < 6 ? 0.45 : 0.9;
    const angle = (2 * Math.PI * k) / (k < 6 ? 6 : 12);
    const u = ring * Math.cos(angle);
    return { label: `E${k}`, u, v: ring * Math.sin(angle), value: u };
  }),
];

/** A grid of the value u itself, as an interpolator would give it for the gradient above. */
function gradientGrid(size: number): HeadGrid {
  const radius = 1;
  const cell = (2 * radius) / size;
  const values = new Float64Array(size * size).fill(NaN);
  for (let row = 0; row < size; row++) {
    for (let col = 0; col < size; col++) {
      const u = -radius + (col + 0.5) * cell;
      const v = radius - (row + 0.5) * cell;
      if (Math.hypot(u, v) <= radius) values[row * size + col] = u;
    }
  }
  return { radius, size, values };
}

describe('headMap', () => {
  it('draws filled colour steps inside the head, one dot per electrode, a colour bar', () => {
    const svg = headMap(points, gradientGrid(48), { id: 'alpha', title: 'alpha', unit: '%' });
    expect(svg).toContain('data-chart="alpha"');
    expect((svg.match(/<circle [^>]*r="1.8"/g) ?? []).length).toBe(19);
    // A left-right gradient over 16 levels: one path per level.
    expect((svg.match(/<path d="M/g) ?? []).length).toBe(16);
    expect(svg).toContain('class="colorbar"');
    expect(svg).not.toContain('NaN');
    expect(svg).toMatch(/<desc id="alpha-desc">Head seen from above, nose up, interpolated between 19 electrodes, colour from -0.9 to 0.9 %/);
  });

  it('places an electrode at (u, v) by the head frame: u right, v up (front), centred', () => {
    const svg = headMap([{ label: 'Fz', u: 0, v: 0.5, value: 1 }, { label: 'T8', u: 0.9, v: 0, value: 2 }], undefined, { id: 'two', size: 200 });
    // size 200, no title: centre (100, 6 + 16 + 84 = 106), 84 px per unit.
    expect(svg).toContain('<circle cx="100.0" cy="64.0"');
    expect(svg).toContain('<circle cx="175.6" cy="106.0"');
  });

  it('without a grid colours the electrodes only (no interpolated fill)', () => {
    const svg = headMap(points.slice(0, 2), undefined, { id: 'two' });
    expect(svg).not.toMatch(/<path d="M[^"]*h[\d.]+v/);
    expect((svg.match(/<circle [^>]*stroke="#10141c"/g) ?? []).length).toBe(2);
  });

  it('escapes labels and uses the format given for tooltips', () => {
    const svg = headMap([{ label: '<Cz>', u: 0, v: 0, value: 0.5 }], undefined, { id: 'x', format: (v) => `${v * 100} %` });
    expect(svg).toContain('<title>&lt;Cz&gt;: 50 %</title>');
    expect(svg).not.toContain('<Cz>');
  });

  it('the head holds electrodes outside the 10-20 circle', () => {
    expect(headRadius([{ label: 'a', u: 0.5, v: 0 }])).toBe(1);
    expect(headRadius([{ label: 'T9', u: -1.1, v: 0 }])).toBeCloseTo(1.144, 9);
  });
});

describe('connectivityGraph', () => {
  it('draws the pairs at or above the threshold only', () => {
    const nodes = points.slice(0, 4);
    const m = [
      [1, 0.9, 0.1, 0.2],
      [0.9, 1, 0.5, 0.3],
      [0.1, 0.5, 1, 0.7],
      [0.2, 0.3, 0.7, 1],
    ];
    const svg = connectivityGraph(nodes, m, { id: 'g', threshold: 0.5 });
    expect((svg.match(/<line /g) ?? []).length).toBe(3);
    expect(svg).toContain('3 edges with weight ≥ 0.5');
    expect(svg).toContain('strongest: Cz–E0 0.9, E1–E2 0.7, E0–E1 0.5');
    expect(svg).not.toContain('NaN');
  });
});

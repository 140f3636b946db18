import { describe, expect, it } from 'vitest';
import { escapeHtml, formatNumber, listNames, openSvg } from './markup.ts';

describe('markup', () => {
  it('escapes the five HTML specials', () => {
    expect(escapeHtml(`<a href="x">Tom & Jerry's</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;Tom &amp; Jerry&#39;s&lt;/a&gt;');
  });

  it('formats numbers for people', () => {
    expect(formatNumber(42)).toBe('42');
    expect(formatNumber(0.123456)).toBe('0.1235');
    expect(formatNumber(0.0001234)).toBe('1.234e-4');
    expect(formatNumber(1234567.8)).toBe('1.235e+6');
    expect(formatNumber(NaN)).toBe('NaN');
  });

  it('opens an accessible svg whose aria-labelledby names its own title and desc', () => {
    const svg = openSvg({ id: 'a b', width: 100, height: 50, title: 'T <1>', description: 'D & E' });
    expect(svg).toMatch(/^<svg class="chart" data-chart="a b" role="img" aria-labelledby="a_b-title a_b-desc" viewBox="0 0 100 50"/);
    expect(svg).toContain('<title id="a_b-title">T &lt;1&gt;</title><desc id="a_b-desc">D &amp; E</desc>');
  });

  it('lists names, shortening long lists', () => {
    expect(listNames(['a', 'b'])).toBe('a, b');
    expect(listNames(['a', 'b', 'c'], 2)).toBe('a, b and 1 more');
  });
});

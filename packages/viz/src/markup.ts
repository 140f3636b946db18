/**
 * Text and the opening of every chart's `<svg>`: escaping, numbers for people, and the
 * accessible frame (role="img", `<title>`, `<desc>`) that each chart in this package starts with.
 */

/**
 * Escape text for HTML/SVG element content and attribute values.
 *
 * @example escapeHtml('a<b & "c"'); // 'a&lt;b &amp; &quot;c&quot;'
 */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] as string);
}

/**
 * Numbers for people: integers as they are, else 4 significant digits, exponent form below
 * 1e-3 or from 1e6 on.
 *
 * @example formatNumber(0.123456); // '0.1235'
 */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value) && Math.abs(value) < 1e9) return String(value);
  const a = Math.abs(value);
  if (a !== 0 && (a < 1e-3 || a >= 1e6)) return value.toExponential(3);
  return String(Number(value.toPrecision(4)));
}

/** What every chart's `<svg>` opens with. */
export interface SvgFrame {
  /** Chart name: the `data-chart` attribute, and the prefix of the title/desc element ids. */
  id: string;
  /** Pixels (also the viewBox); a string is written as given. */
  width: number | string;
  height: number | string;
  /** Accessible name (the `<title>`). */
  title: string;
  /** Accessible description (the `<desc>`): what is drawn, its ranges and its series. */
  description: string;
}

/**
 * Open a chart: `<svg class="chart" data-chart=ID role="img" aria-labelledby=...>` with its
 * `<title>` and `<desc>`. Close it with `</svg>`.
 *
 * @example openSvg({ id: 'psd', width: 720, height: 280, title: 'PSD', description: '2 channels' }) + body + '</svg>';
 */
export function openSvg(frame: SvgFrame): string {
  const key = frame.id.replace(/[^\w-]/g, '_');
  return `<svg class="chart" data-chart="${escapeHtml(frame.id)}" role="img" aria-labelledby="${key}-title ${key}-desc" viewBox="0 0 ${frame.width} ${frame.height}" width="${frame.width}" height="${frame.height}" xmlns="http://www.w3.org/2000/svg"><title id="${key}-title">${escapeHtml(frame.title)}</title><desc id="${key}-desc">${escapeHtml(frame.description)}</desc>`;
}

/** "a, b, c" with at most `limit` names, then "and N more". */
export function listNames(names: string[], limit = 80): string {
  return names.length <= limit ? names.join(', ') : `${names.slice(0, limit).join(', ')} and ${names.length - limit} more`;
}

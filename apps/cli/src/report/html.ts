import { escapeHtml, formatNumber } from '@cajal/viz';

/**
 * Self-contained HTML reports of the CLI: one file, no scripts from elsewhere, charts as
 * inline SVG drawn by @cajal/viz in Node (so a report opens anywhere and tests can check every
 * chart has content). Each chart is an `<svg class="chart" data-chart="NAME">`. Only the page
 * assembly lives here; the charts, `escapeHtml` and `formatNumber` are @cajal/viz's.
 *
 * @example
 *   const html = renderReport({ title: 'COBA', sections: [{ heading: 'Rate', body: lineChart({...}) }] });
 */
export interface ReportSection {
  heading: string;
  /** HTML (already escaped where it holds text from outside). */
  body: string;
  note?: string;
}

export interface Report {
  title: string;
  subtitle?: string;
  sections: ReportSection[];
  /** Key facts shown as a table at the top. */
  facts?: Array<[string, string | number]>;
}

/**
 * A simple HTML table; numbers written with `formatNumber`, text escaped.
 *
 * @example table(['channel', 'alpha'], [['O1', 0.42]]);
 */
export function table(headers: string[], rows: Array<Array<string | number>>): string {
  const head = headers.map((h) => `<th>${escapeHtml(h)}</th>`).join('');
  const body = rows
    .map((r) => `<tr>${r.map((c) => `<td>${escapeHtml(typeof c === 'number' ? formatNumber(c) : c)}</td>`).join('')}</tr>`)
    .join('\n');
  return `<table><thead><tr>${head}</tr></thead><tbody>${body}</tbody></table>`;
}

/**
 * The whole report page: title, subtitle, the facts table, the sections, the date made.
 *
 * @example renderReport({ title: 'COBA', sections: [{ heading: 'Rate', body: lineChart(series, { id: 'rate' }) }] });
 */
export function renderReport(report: Report): string {
  const facts = report.facts?.length
    ? `<table class="facts">${report.facts.map(([k, v]) => `<tr><th>${escapeHtml(k)}</th><td>${escapeHtml(typeof v === 'number' ? formatNumber(v) : v)}</td></tr>`).join('')}</table>`
    : '';
  const sections = report.sections
    .map(
      (s) =>
        `<section><h2>${escapeHtml(s.heading)}</h2>${s.body}${s.note ? `<p class="note">${escapeHtml(s.note)}</p>` : ''}</section>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>${escapeHtml(report.title)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px auto;max-width:1100px;color:#1d2330;padding:0 16px}
h1{font-size:22px;margin:0 0 4px} h2{font-size:17px;margin:28px 0 8px;border-bottom:1px solid #dde2ea;padding-bottom:4px}
.subtitle{color:#5b6475;margin:0 0 16px} .note{color:#5b6475;font-size:12px}
table{border-collapse:collapse;margin:8px 0;font-size:13px} th,td{border:1px solid #dde2ea;padding:3px 8px;text-align:left}
th{background:#f4f6f9} svg.chart{display:block;margin:6px 0;background:#fff;max-width:100%;height:auto}
.grid{display:flex;flex-wrap:wrap;gap:12px;align-items:flex-start}
h3{font-size:14px;margin:18px 0 4px} .caption{color:#3b4352;font-size:13px;margin:4px 0 8px}
.scroll{overflow-x:auto} .highlights{margin:6px 0;padding-left:20px} .facts th{width:110px}
</style></head><body>
<h1>${escapeHtml(report.title)}</h1>${report.subtitle ? `<p class="subtitle">${escapeHtml(report.subtitle)}</p>` : ''}
${facts}
${sections}
<p class="note">Made by Cajal on ${new Date().toISOString().slice(0, 10)}.</p>
</body></html>
`;
}

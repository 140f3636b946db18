/**
 * The filter tables in a BrainVision header's free-text `[Comment]` section (the amplifier's
 * "Channels" table and the "Software Filters" table), turned into EDF-style prefiltering
 * strings per channel ("HP:0.016Hz LP:250Hz N:off"). Software filters, when enabled, replace
 * the hardware settings (as MNE does). Channel names in the table may contain spaces, so rows
 * are split by column position taken from the table's own heading line.
 */

/** One parsed filter setting: a frequency in Hz, "DC" (no high-pass), or "off". */
type Setting = number | 'DC' | 'off';

interface FilterRow {
  highpass?: Setting;
  lowpass?: Setting;
  notch?: Setting;
}

/**
 * Prefiltering strings for channels 1..channelCount (index 0 = channel 1); undefined where
 * the comment gives nothing for a channel.
 */
export function parseFilterTables(comment: string, channelCount: number): Array<string | undefined> {
  const lines = comment.split('\n');
  const hardware = parseTable(lines, (l) => /^#\s+Name\b/i.test(l.trim()), channelCount);
  const softwareStart = lines.findIndex((l) => /S\s*o\s*f\s*t\s*w\s*a\s*r\s*e\s+F\s*i\s*l\s*t\s*e\s*r\s*s/i.test(l));
  const software = softwareStart >= 0 ? parseTable(lines.slice(softwareStart), (l) => /^#\s+Low Cutoff/i.test(l.trim()), channelCount) : [];
  const result: Array<string | undefined> = [];
  for (let i = 0; i < channelCount; i++) {
    const row = software[i] ?? hardware[i];
    result.push(row ? describe(row) : undefined);
  }
  return result;
}

function parseTable(lines: string[], isHeading: (line: string) => boolean, channelCount: number): Array<FilterRow | undefined> {
  const headingIndex = lines.findIndex(isHeading);
  if (headingIndex < 0) return [];
  const heading = lines[headingIndex] as string;
  const columns = findColumns(heading);
  if (!columns.low && !columns.high && !columns.notch) return [];
  const rows: Array<FilterRow | undefined> = new Array(channelCount).fill(undefined);
  for (let i = headingIndex + 1; i < lines.length; i++) {
    const line = lines[i] as string;
    const number = /^\s*(\d+)\s/.exec(line);
    if (!number) {
      if (line.trim() === '') break;
      continue;
    }
    const channel = Number(number[1]);
    if (channel < 1 || channel > channelCount) continue;
    const tokens = tokensWithPosition(line);
    const row: FilterRow = {};
    if (columns.low) row.highpass = settingAt(tokens, columns.low);
    if (columns.high) row.lowpass = settingAt(tokens, columns.high);
    if (columns.notch) row.notch = settingAt(tokens, columns.notch);
    rows[channel - 1] = row;
  }
  return rows;
}

interface Column {
  start: number;
  /** "s" for a time constant, "Hz" for a frequency. */
  unit: 's' | 'Hz';
}

function findColumns(heading: string): { low?: Column; high?: Column; notch?: Column } {
  const find = (name: string): Column | undefined => {
    const match = new RegExp(`${name}\\s*\\[(s|Hz)\\]`, 'i').exec(heading);
    return match ? { start: match.index, unit: (match[1] as string).toLowerCase() === 's' ? 's' : 'Hz' } : undefined;
  };
  const columns: { low?: Column; high?: Column; notch?: Column } = {};
  const low = find('Low Cutoff');
  const high = find('High Cutoff');
  const notch = find('Notch');
  if (low) columns.low = low;
  if (high) columns.high = high;
  if (notch) columns.notch = notch;
  return columns;
}

function tokensWithPosition(line: string): Array<{ text: string; start: number; end: number }> {
  return [...line.matchAll(/\S+/g)].map((m) => ({ text: m[0], start: m.index, end: m.index + m[0].length }));
}

/** The token whose extent is nearest the column's start (values are written under their heading). */
function settingAt(tokens: Array<{ text: string; start: number; end: number }>, column: Column): Setting | undefined {
  let best: { text: string; start: number; end: number } | undefined;
  let bestDistance = Infinity;
  for (const token of tokens) {
    const distance = token.end < column.start ? column.start - token.end : Math.max(0, token.start - column.start);
    if (distance < bestDistance) {
      bestDistance = distance;
      best = token;
    }
  }
  if (!best || bestDistance > 12) return undefined;
  const text = best.text.toLowerCase();
  if (text === 'dc') return 'DC';
  if (text === 'off') return 'off';
  const value = Number(best.text.replace(',', '.'));
  if (!Number.isFinite(value) || value < 0) return undefined;
  // Recorder writes 0 for a filter that is not in use.
  if (value === 0) return 'off';
  // A time constant tau in seconds is a first-order cut-off of 1 / (2 pi tau) Hz.
  return column.unit === 's' ? 1 / (2 * Math.PI * value) : value;
}

function describe(row: FilterRow): string | undefined {
  const parts: string[] = [];
  const text = (s: Setting): string => (typeof s === 'number' ? `${Number(s.toPrecision(6))}Hz` : s);
  if (row.highpass !== undefined) parts.push(`HP:${text(row.highpass)}`);
  if (row.lowpass !== undefined) parts.push(`LP:${text(row.lowpass)}`);
  if (row.notch !== undefined) parts.push(`N:${text(row.notch)}`);
  return parts.length > 0 ? parts.join(' ') : undefined;
}

/**
 * Text redaction for annotation texts: dates (numeric and with month names) and the patient's
 * name tokens are replaced by "X" characters of the same length, so rewritten EDF+ annotation
 * bytes keep their layout. Format-neutral text work used by every format's de-identification
 * (EDF+ TALs, BrainVision comments and markers). Hand-written: a few patterns, no library
 * covers EDF's same-length constraint.
 */
const months = 'jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|jun(?:e)?|jul(?:y)?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?';
const datePatterns = [
  /\b\d{1,4}[-./]\d{1,2}[-./]\d{1,4}\b/g,
  new RegExp(`\\b\\d{1,2}[ -](?:${months})[ -,]*\\d{2,4}\\b`, 'gi'),
  new RegExp(`\\b(?:${months})\\.? \\d{1,2}(?:st|nd|rd|th)?,? \\d{4}\\b`, 'gi'),
];

/** Placeholder words found in patient fields that are not names (kept in annotation texts). */
const notNames = new Set(['x', 'simulated', 'anonymous', 'anonymized', 'anonymised', 'unknown', 'patient', 'subject', 'male', 'female', 'test', 'demo', 'not', 'person', 'the', 'of', 'and']);

/**
 * Name tokens worth redacting: 2+ letters, not the EDF+ placeholders.
 *
 * @example
 *   nameTokens('X', 'Jane_Doe') // ['Jane', 'Doe']
 */
export function nameTokens(...fields: Array<string | undefined>): string[] {
  const tokens = new Set<string>();
  for (const field of fields) {
    for (const token of (field ?? '').split(/[\s_,;]+/)) {
      const clean = token.replace(/[^\p{L}'-]/gu, '');
      if (clean.length >= 2 && !notNames.has(clean.toLowerCase())) tokens.add(clean);
    }
  }
  return [...tokens];
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * Replace dates and the given name tokens in `text` with same-length runs of "X".
 * Returns the new text and how many spans were replaced.
 *
 * @example
 *   redactText('Seen by John Smith on 03/04/2021', ['Smith']) // { text: 'Seen by John XXXXX on XXXXXXXXXX', replaced: 2 }
 */
export function redactText(text: string, names: string[]): { text: string; replaced: number } {
  let replaced = 0;
  const mask = (match: string): string => {
    replaced++;
    return 'X'.repeat(match.length);
  };
  let out = text;
  for (const pattern of datePatterns) out = out.replace(pattern, mask);
  if (names.length > 0) {
    const namePattern = new RegExp(`(?<![\\p{L}])(?:${names.map(escape).join('|')})(?![\\p{L}])`, 'giu');
    out = out.replace(namePattern, mask);
  }
  return { text: out, replaced };
}

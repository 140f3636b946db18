/** The de-identification report kept with a recording (what import changed), read defensively. */
interface Report {
  method?: string;
  fields?: { field?: string; action?: string }[];
  annotationsRedacted?: number;
  datePolicy?: string;
  shiftDays?: number;
  fileNameReplaced?: boolean;
  storedName?: string;
  consentOnRecord?: boolean;
  performedAt?: string;
}

export function DeidentificationReport({ report }: { report: unknown }) {
  if (typeof report !== 'object' || report === null) return null;
  const r = report as Report;
  return (
    <details className="deid" data-testid="deidentification">
      <summary>de-identified{r.consentOnRecord === false ? ' · no consent record' : ''}</summary>
      <ul>
        {(r.fields ?? []).map((f, i) => <li key={i}><code>{f.field}</code>: {f.action}</li>)}
        {r.annotationsRedacted !== undefined && <li>annotation texts redacted: {r.annotationsRedacted}</li>}
        {r.datePolicy && <li>date policy: {r.datePolicy}{r.shiftDays ? ` (shifted ${r.shiftDays} days)` : ''}</li>}
        {r.fileNameReplaced && <li>file name replaced by {r.storedName}</li>}
        {r.performedAt && <li className="muted">at {r.performedAt}{r.method ? ` (${r.method})` : ''}</li>}
      </ul>
    </details>
  );
}

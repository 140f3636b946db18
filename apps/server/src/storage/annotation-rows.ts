/**
 * Annotations between their storage form (`AnnotationRow`) and their table rows: the columns
 * a new or edited annotation writes (JSON for channels and source, one column per review field)
 * and the row read back. Used by `KyselyStorage` for both dialects.
 */
import { randomUUID } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { AnnotationProvenance, AnnotationSource, ReviewState } from '@cajal/core';
import type { AnnotationTable } from './schema.ts';
import type { AnnotationChanges, AnnotationRow, NewRecordingAnnotation } from './storage.ts';

function reviewColumns(review: AnnotationProvenance['review']): Pick<Selectable<AnnotationTable>, 'review_state' | 'reviewed_by' | 'reviewed_at'> {
  return { review_state: review?.state ?? null, reviewed_by: review?.reviewedBy ?? null, reviewed_at: review?.reviewedAt ?? null };
}

/** The row of a new annotation (a fresh id; created and updated `at`; nulls where a field is absent). */
export function annotationColumns(annotation: NewRecordingAnnotation & Pick<AnnotationRow, 'recordingId' | 'createdBy'>, at: string): Selectable<AnnotationTable> {
  return {
    id: randomUUID(), recording_id: annotation.recordingId, onset_seconds: annotation.onsetSeconds, duration_seconds: annotation.durationSeconds,
    text: annotation.text, channels_json: annotation.channels ? JSON.stringify(annotation.channels) : null,
    created_by: annotation.createdBy, created_at: at, updated_at: at,
    source_json: annotation.source ? JSON.stringify(annotation.source) : null,
    confidence: annotation.confidence ?? null,
    ...reviewColumns(annotation.review),
  };
}

/** The columns an edit sets (only the changed fields, and `updated_at`). */
export function annotationChangeColumns(changes: AnnotationChanges, at: string): Partial<Selectable<AnnotationTable>> {
  const set: Partial<Selectable<AnnotationTable>> = { updated_at: at };
  if (changes.onsetSeconds !== undefined) set.onset_seconds = changes.onsetSeconds;
  if (changes.durationSeconds !== undefined) set.duration_seconds = changes.durationSeconds;
  if (changes.text !== undefined) set.text = changes.text;
  if (changes.channels !== undefined) set.channels_json = JSON.stringify(changes.channels);
  if (changes.review !== undefined) Object.assign(set, reviewColumns(changes.review));
  return set;
}

/** The annotation of a row (optional fields left out where their columns are null). */
export function toAnnotation(row: Selectable<AnnotationTable>): AnnotationRow {
  return {
    id: row.id,
    recordingId: row.recording_id,
    onsetSeconds: row.onset_seconds,
    durationSeconds: row.duration_seconds,
    text: row.text,
    ...(row.channels_json ? { channels: JSON.parse(row.channels_json) as string[] } : {}),
    ...(row.source_json ? { source: JSON.parse(row.source_json) as AnnotationSource } : {}),
    ...(row.confidence !== null && row.confidence !== undefined ? { confidence: Number(row.confidence) } : {}),
    ...(row.review_state ? {
      review: {
        state: row.review_state as ReviewState,
        ...(row.reviewed_by ? { reviewedBy: row.reviewed_by } : {}),
        ...(row.reviewed_at ? { reviewedAt: row.reviewed_at } : {}),
      },
    } : {}),
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

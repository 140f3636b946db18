/**
 * Where an annotation came from and how far it has been reviewed: the vocabulary that lets a
 * detector's events, a person's marks and a file's own annotations live side by side and be
 * reviewed (accepted, rejected, adjusted) by people.
 */

/**
 * The origin of an annotation: read from a `file` (its name, when known), made by a `person`
 * (a user id, never a name), or proposed by a `model` (its name and version).
 *
 * @example
 *   const fromFile: AnnotationSource = { kind: 'file', file: 'S01-001.edf' };
 *   const byPerson: AnnotationSource = { kind: 'person', userId: '6f1c...' };
 *   const byModel: AnnotationSource = { kind: 'model', name: 'line-length-detector', version: '1.2.0' };
 */
export type AnnotationSource =
  | { kind: 'file'; file?: string }
  | { kind: 'person'; userId: string }
  | { kind: 'model'; name: string; version: string };

/** Every review state: `proposed` (not yet reviewed), `accepted`, `rejected`, `adjusted` (accepted after a change). */
export const reviewStates = ['proposed', 'accepted', 'rejected', 'adjusted'] as const;

/** Where an annotation stands in review (see `reviewStates`). */
export type ReviewState = (typeof reviewStates)[number];

/**
 * A review: its state, and who reviewed it and when (absent while `proposed`).
 *
 * @example
 *   const review: AnnotationReview = { state: 'accepted', reviewedBy: '6f1c...', reviewedAt: '2026-12-08T01:30:00.000Z' };
 */
export interface AnnotationReview {
  state: ReviewState;
  /** The reviewer's user id (never a name). */
  reviewedBy?: string;
  /** ISO 8601 time of the review (UTC). */
  reviewedAt?: string;
}

/** The provenance fields an annotation may carry (all optional, see `reviewStateOf` for the defaults). */
export interface AnnotationProvenance {
  /** Where it came from; absent: unknown (data made before sources were recorded). */
  source?: AnnotationSource;
  /** The model's confidence, 0..1, for model annotations; absent: none given. */
  confidence?: number;
  /** The review; absent: the default of `reviewStateOf`. */
  review?: AnnotationReview;
}

/**
 * The review state of an annotation, with the defaults: a model's annotation without a review
 * is `proposed`; a file's or a person's (or one of unknown source) is `accepted`.
 *
 * @example
 *   reviewStateOf({ source: { kind: 'model', name: 'd', version: '1' } }) // 'proposed'
 *   reviewStateOf({}) // 'accepted'
 */
export function reviewStateOf(annotation: AnnotationProvenance): ReviewState {
  if (annotation.review) return annotation.review.state;
  return annotation.source?.kind === 'model' ? 'proposed' : 'accepted';
}

import type { Annotation } from '@cajal/core';

/**
 * Mark annotations as read from the file `file` (`source: { kind: 'file', file }`), in place,
 * and return them. Every reader calls it on the annotations it found.
 *
 * @example
 *   markFileSource(annotations, 'night.edf')[0].source // { kind: 'file', file: 'night.edf' }
 */
export function markFileSource(annotations: Annotation[], file: string): Annotation[] {
  for (const annotation of annotations) annotation.source = { kind: 'file', file };
  return annotations;
}

/**
 * The binary signal page of `GET /api/recordings/:id/signal` (API.md): packed by
 * `@cajal/formats`' one codec (`allocateSignalPage`) from the reader's page read
 * (`OpenedRecording.readInto`), which decodes straight into the response's sample block (one
 * ArrayBuffer per response, no per-channel arrays, no copies for EDF/BDF). Each channel carries
 * its own first-sample time and runs, the page the recorded segments inside it.
 */
import { allocateSignalPage, finishSignalPage, pageHeaderOf, type AllocatedSignalPage, type OpenedRecording } from '@cajal/formats';
import { CajalError } from '@cajal/core';

/** Largest page: samples across all channels (64 channels x 60 s x 1000 Hz is 3.84 M). */
export const maxPageSamples = 8_000_000;

/**
 * Read `durationSeconds` from `startSeconds` of the chosen channels (all when empty) and pack
 * them as a binary page.
 *
 * @example
 *   const bytes = await readSignalPage(opened, { startSeconds: 0, durationSeconds: 10, channels: [] });
 */
export async function readSignalPage(
  opened: OpenedRecording,
  request: { startSeconds: number; durationSeconds: number; channels: string[] },
): Promise<Uint8Array> {
  const { header } = opened;
  const indices = request.channels.length === 0
    ? header.channels.map((_, i) => i)
    : request.channels.map((label) => {
      const channel = header.channels.find((c) => c.label === label);
      if (!channel) throw new CajalError('NOT_FOUND', `no channel "${label}" in this recording`, { field: 'channels' });
      return header.channels.indexOf(channel);
    });
  const expected = indices.reduce((sum, i) => sum + Math.ceil((header.channels[i]?.sampleRateHz ?? 0) * request.durationSeconds) + 1, 0);
  if (expected > maxPageSamples) {
    throw new CajalError('INVALID_ARGUMENT', `page of ${expected} samples is larger than ${maxPageSamples}: ask for fewer channels or a shorter duration`, { field: 'duration' });
  }
  const labels = header.channels.map((c) => c.label);
  let page: AllocatedSignalPage | undefined;
  await opened.readInto({
    channels: indices,
    startSeconds: request.startSeconds,
    endSeconds: request.startSeconds + request.durationSeconds,
    target: (layout) => {
      page = allocateSignalPage({ ...pageHeaderOf(layout, labels), durationSeconds: request.durationSeconds });
      return page.samples;
    },
  });
  if (!page) throw new CajalError('INTERNAL', 'the page read gave no layout');
  return finishSignalPage(page);
}

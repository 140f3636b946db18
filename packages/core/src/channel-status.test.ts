import { describe, expect, it } from 'vitest';
import { badChannelEntries, badChannelLabels, channelStatusOf, withChannelStatuses } from './channel-status.ts';
import { reviewStateOf } from './annotation.ts';

describe('channel status', () => {
  const channels = [{ label: 'Fp1' }, { label: 'T3' }, { label: 'O2' }];

  it('is good by default; stored entries (bare labels = marked) become statuses and back', () => {
    expect(channelStatusOf({})).toEqual({ status: 'good' });
    const withStatus = withChannelStatuses(channels, ['T3', { label: 'O2', reason: 'flat' }, { label: 'missing', reason: 'noisy' }]);
    expect(withStatus.map((c) => c.status)).toEqual([{ status: 'good' }, { status: 'bad', reason: 'marked' }, { status: 'bad', reason: 'flat' }]);
    expect(badChannelEntries(withStatus)).toEqual([{ label: 'T3', reason: 'marked' }, { label: 'O2', reason: 'flat' }]);
    expect(withChannelStatuses(channels, badChannelEntries(withStatus))).toEqual(withStatus);
    expect(badChannelLabels(['T3', { label: 'O2', reason: 'flat' }])).toEqual(['T3', 'O2']);
  });
});

describe('annotation review state', () => {
  it('defaults to proposed for a model, accepted otherwise; a review says its own state', () => {
    expect(reviewStateOf({ source: { kind: 'model', name: 'detector', version: '1.0.0' }, confidence: 0.7 })).toBe('proposed');
    expect(reviewStateOf({ source: { kind: 'file', file: 'x.edf' } })).toBe('accepted');
    expect(reviewStateOf({ source: { kind: 'person', userId: 'u1' } })).toBe('accepted');
    expect(reviewStateOf({})).toBe('accepted');
    expect(reviewStateOf({ source: { kind: 'model', name: 'detector', version: '1.0.0' }, review: { state: 'rejected', reviewedBy: 'u1', reviewedAt: '2026-12-08T01:00:00.000Z' } })).toBe('rejected');
  });
});

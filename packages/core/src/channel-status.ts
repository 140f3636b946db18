/**
 * Whether a channel is usable: `good`, or `bad` with a reason. A channel description without a
 * status is good. Bad channels are dropped from montages and averages and drawn greyed.
 */
import type { ChannelInfo } from './recording.ts';

/** Why a channel is bad: `marked` means a person marked it without giving a reason. */
export const badChannelReasons = ['flat', 'noisy', 'bridged', 'disconnected', 'artifact', 'marked'] as const;

/** One of `badChannelReasons`. */
export type BadChannelReason = (typeof badChannelReasons)[number];

/**
 * A channel's status.
 *
 * @example
 *   const ok: ChannelStatus = { status: 'good' };
 *   const flat: ChannelStatus = { status: 'bad', reason: 'flat' };
 */
export type ChannelStatus = { status: 'good' } | { status: 'bad'; reason: BadChannelReason };

/**
 * A bad channel as stored apart from its recording: `{ label, reason }`, or a bare label
 * (older data) meaning reason `marked`.
 *
 * @example
 *   const stored: BadChannelEntry[] = ['T3', { label: 'O2', reason: 'flat' }];
 */
export type BadChannelEntry = string | { label: string; reason: BadChannelReason };

/**
 * A channel's status, good when it has none.
 *
 * @example
 *   channelStatusOf({ label: 'Cz' }) // { status: 'good' }
 */
export function channelStatusOf(channel: { status?: ChannelStatus }): ChannelStatus {
  return channel.status ?? { status: 'good' };
}

/**
 * The channels with their statuses from stored bad-channel entries: listed channels are bad
 * (with the entry's reason), the others good. Entries naming no channel are ignored.
 *
 * @example
 *   withChannelStatuses(header.channels, ['T3', { label: 'O2', reason: 'flat' }])
 *   // T3 -> { status: 'bad', reason: 'marked' }, O2 -> { status: 'bad', reason: 'flat' }, others -> { status: 'good' }
 */
export function withChannelStatuses<C extends Pick<ChannelInfo, 'label'>>(channels: readonly C[], bad: readonly BadChannelEntry[]): Array<C & { status: ChannelStatus }> {
  const reasons = new Map<string, BadChannelReason>();
  for (const entry of bad) {
    if (typeof entry === 'string') reasons.set(entry, 'marked');
    else reasons.set(entry.label, entry.reason);
  }
  return channels.map((channel) => {
    const reason = reasons.get(channel.label);
    return { ...channel, status: reason === undefined ? { status: 'good' as const } : { status: 'bad' as const, reason } };
  });
}

/**
 * The stored form of channels' statuses: one `{ label, reason }` per bad channel, in channel
 * order (good channels are not stored).
 *
 * @example
 *   badChannelEntries([{ label: 'Cz', status: { status: 'bad', reason: 'noisy' } }, { label: 'Pz' }]) // [{ label: 'Cz', reason: 'noisy' }]
 */
export function badChannelEntries(channels: ReadonlyArray<{ label: string; status?: ChannelStatus }>): Array<{ label: string; reason: BadChannelReason }> {
  const entries: Array<{ label: string; reason: BadChannelReason }> = [];
  for (const channel of channels) {
    const status = channelStatusOf(channel);
    if (status.status === 'bad') entries.push({ label: channel.label, reason: status.reason });
  }
  return entries;
}

/**
 * Labels of the bad channels among stored entries.
 *
 * @example
 *   badChannelLabels(['T3', { label: 'O2', reason: 'flat' }]) // ['T3', 'O2']
 */
export function badChannelLabels(bad: readonly BadChannelEntry[]): string[] {
  return bad.map((entry) => (typeof entry === 'string' ? entry : entry.label));
}

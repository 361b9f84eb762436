// How much of each channel's work one operator holds at once, in one place. Voice: one call
// (the operator is 'on_call' while holding it, and nothing else rings for them as a call).
// Conversations: no limit today; an operator may hold any number of threads.
import type { OperatorStateKind } from '@trustline/shared';

export type WorkChannel = 'voice' | 'sms' | (string & {});

export const CHANNEL_CAPACITY: Readonly<Record<string, number>> = { voice: 1, sms: Number.POSITIVE_INFINITY };

/** Unknown channels are unlimited, as conversations are today. */
export const capacityOf = (channel: WorkChannel) => CHANNEL_CAPACITY[channel] ?? Number.POSITIVE_INFINITY;

/** What an operator holds of a channel, from their state: only voice is counted by state. */
export const heldBy = (channel: WorkChannel, state: OperatorStateKind | undefined) => (channel === 'voice' && state === 'on_call' ? 1 : 0);

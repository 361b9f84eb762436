// How a channel plugs into conversations. A channel (SMS today: sms/sms.adapter.ts) turns its
// provider's webhooks into the neutral shapes below, sends what the conversations module hands
// it, and says its own rules: opt-out keywords and how a body is split into segments. Everything
// else (threads, offers and takes, messages, delivery states that only move forward, opt-outs,
// routing to operators) is the conversations module's and the same for every channel.

/** An inbound message in the channel-neutral shape. */
export interface InboundMessage {
  /** The adapter's channel: the thread and the message are recorded under it. */
  channel: string;
  /** The channel's own id for the message (Twilio's MessageSid): recording is idempotent on it. */
  externalId: string;
  /** The sender's address (a phone number for SMS). Hashed and sealed at once, never kept plain. */
  from: string;
  /** Our address it arrived on (a line's number), or undefined. */
  to: string | undefined;
  body: string;
  numMedia: number;
  mediaUrls: string[];
  mediaTypes: string[];
  /** How many segments the channel counted, when it says. */
  segments: number | null;
}

/** An outbound message for the channel to hand to its provider. */
export interface OutboundMessage {
  /** Our message id (the delivery status callback names it). */
  messageId: string;
  to: string;
  from: string;
  body: string;
}

/** A delivery state reported by the channel's provider. */
export interface DeliveryUpdate {
  externalId: string | undefined;
  status: string;
  errorCode: number | null;
}

export interface ChannelAdapter<Webhook = unknown, StatusUpdate = unknown> {
  /** The contact channel a thread is recorded under ('sms'); carried by 'conversation.*' events. */
  channel: 'sms' | (string & {});
  /** The provider's inbound webhook, as a neutral message. */
  normaliseInbound(webhook: Webhook): InboundMessage;
  /** The address a message goes out from: its line's, else the channel's default. Throws (the
   * send job retries) when there is none. */
  senderFor(lineId: string | null): Promise<string>;
  /** Hands the message to the provider; its id and first status. Errors carry the provider's
   * `code` and HTTP `status` (a 4xx other than 429 is not retried). */
  send(message: OutboundMessage): Promise<{ externalId: string; status: string }>;
  /** A message with this text the provider accepted since `since`, if any: asked before sending
   * again after a hand-over that never recorded the answer. */
  findSent(m: { to: string; from: string; body: string; since: Date }): Promise<{ externalId: string; status: string } | null>;
  /** The provider's delivery status callback, as a neutral update. */
  deliveryStatus(update: StatusUpdate): DeliveryUpdate;
  /** Opt-out rules: a keyword message that opts the sender out or back in, and the provider's
   * error for a recipient who opted out. */
  optOut: {
    keywordOf(body: string): { kind: 'opt-out' | 'opt-in'; keyword: string } | null;
    providerError: number;
    /** What the opt-out row records when the provider refused for that reason. */
    providerKeyword: string;
  };
  /** Length rules: how many segments a body takes, and in which encoding. */
  segments(body: string): { segments: number; encoding: string };
}

// The domain events conversations emit (server/src/domain-events.ts). Other features subscribe
// in their wiring. Names and payloads predate the module (contacts opens its draft on
// 'conversation.created', dispatch reads 'sms.*'). Payloads carry ids and hashes, never a phone
// number or a message body.

declare module '../../domain-events.js' {
  interface DomainEventMap {
    /** A new thread opened (a first message, or one after the last thread closed). `channel` is
     * the contact channel it is recorded under (the adapter's: 'sms' today). */
    'conversation.created': { conversationId: string; channel: string; lineId: string | null; peerHash: string };
    'conversation.assigned': { conversationId: string; channel: string; operatorId: string };
    'conversation.closed': { conversationId: string; reason: 'operator' | 'silence' };
    /** An inbound SMS was recorded. `conversationId` is null when an interceptor claimed it. */
    'sms.received': { messageId: string; conversationId: string | null; lineId: string | null; peerHash: string; claimedBy: string | null };
    /** An outbound SMS's delivery state moved forward. */
    'sms.status-changed': { messageId: string; status: string; errorCode: number | null; purpose: string | null; refId: string | null };
  }
}

export {};

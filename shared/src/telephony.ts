// Telephony: calls, the live queue, offers, operator states, SMS conversations, lines and the
// caller simulator. Bodies and socket payloads shared by the server and the console.
import { z } from 'zod';
import type { Ack } from './errors.js';
import { CallerInfo } from './callers.js';

export const CALL_STATUSES = ['received', 'queued', 'answered', 'ended'] as const;
export const CallStatus = z.enum(CALL_STATUSES);
export type CallStatus = z.infer<typeof CallStatus>;
export const CallPriority = z.enum(['normal', 'urgent']);
export type CallPriority = z.infer<typeof CallPriority>;
export const OPERATOR_STATES = ['available', 'on_call', 'wrap_up', 'away', 'offline'] as const;
export const OperatorStateKind = z.enum(OPERATOR_STATES);
export type OperatorStateKind = z.infer<typeof OperatorStateKind>;

/** What a console may know about a call: never a digit of the number; the caller by label and history. */
export const CallSummary = z.object({
  id: z.uuid(),
  lineId: z.uuid().nullable(),
  lineName: z.string().nullable(),
  /** The caller by the label of the keyed hash and their earlier contacts (before this call). */
  caller: CallerInfo,
  priority: CallPriority,
  status: CallStatus,
  receivedAt: z.iso.datetime(),
  queuedAt: z.iso.datetime().nullable(),
  offeredAt: z.iso.datetime().nullable(),
  answeredAt: z.iso.datetime().nullable(),
  endedAt: z.iso.datetime().nullable(),
  endReason: z.string().nullable(),
  operatorId: z.uuid().nullable(),
  consultId: z.uuid().nullable(),
  consultMode: z.string().nullable(),
  onHold: z.boolean(),
  abandoned: z.boolean(),
  waitMs: z.number().int().nullable(),
});
export type CallSummary = z.infer<typeof CallSummary>;

export const CallOfferSummary = z.object({
  offerId: z.uuid(),
  kind: z.string(),
  expiresAt: z.iso.datetime(),
  call: CallSummary,
});
export type CallOfferSummary = z.infer<typeof CallOfferSummary>;

export const OperatorStateSummary = z.object({
  userId: z.uuid(),
  state: OperatorStateKind,
  since: z.iso.datetime(),
  reason: z.string().nullable(),
});
export type OperatorStateSummary = z.infer<typeof OperatorStateSummary>;

export const MessageSummary = z.object({
  id: z.uuid(),
  conversationId: z.uuid().nullable(),
  direction: z.enum(['inbound', 'outbound']),
  body: z.string(),
  numMedia: z.number().int(),
  mediaUrls: z.array(z.string()),
  segments: z.number().int(),
  encoding: z.string(),
  status: z.string(),
  errorCode: z.number().int().nullable(),
  senderId: z.uuid().nullable(),
  createdAt: z.iso.datetime(),
});
export type MessageSummary = z.infer<typeof MessageSummary>;

export const ConversationSummary = z.object({
  id: z.uuid(),
  lineId: z.uuid().nullable(),
  /** The texter by label and earlier contacts (before this thread opened); never a digit. */
  peer: CallerInfo,
  status: z.enum(['open', 'closed']),
  operatorId: z.uuid().nullable(),
  /** The operator this thread is ringing for, if any. */
  offeredTo: z.uuid().nullable(),
  openedAt: z.iso.datetime(),
  lastMessageAt: z.iso.datetime(),
  /** How many messages the thread holds. The summary goes to every operator and supervisor, so it
   * carries counts and times, never a message's text. */
  messageCount: z.number().int(),
  optedOut: z.boolean(),
});
export type ConversationSummary = z.infer<typeof ConversationSummary>;

export const TelephonySnapshot = z.object({
  calls: z.array(CallSummary),
  operators: z.array(OperatorStateSummary),
  conversations: z.array(ConversationSummary),
  myOffers: z.array(CallOfferSummary),
  mode: z.enum(['twilio', 'simulator']),
  serverTime: z.iso.datetime(),
});
export type TelephonySnapshot = z.infer<typeof TelephonySnapshot>;

/** An outbound SMS that has not reached Twilio a while after it was written (no sender line,
 * Twilio unreachable, a hand-over whose outcome was never recorded). No number and no text. */
export const StuckMessage = z.object({
  id: z.uuid(),
  purpose: z.string().nullable(),
  refId: z.string().nullable(),
  conversationId: z.uuid().nullable(),
  lineName: z.string().nullable(),
  createdAt: z.iso.datetime(),
  /** Set when a hand-over began and its outcome was never recorded: Twilio is asked before any resend. */
  handoverAt: z.iso.datetime().nullable(),
});
export type StuckMessage = z.infer<typeof StuckMessage>;
export const StuckMessages = z.object({ total: z.number().int(), olderThanSeconds: z.number().int(), messages: z.array(StuckMessage) });
export type StuckMessages = z.infer<typeof StuckMessages>;

export const CallbackSummary = z.object({
  id: z.uuid(),
  kind: z.enum(['abandoned', 'voicemail', 'requested']),
  status: z.enum(['open', 'dialing', 'done', 'cancelled']),
  callId: z.uuid().nullable(),
  lineId: z.uuid().nullable(),
  caller: CallerInfo,
  hasRecording: z.boolean(),
  waitMs: z.number().int().nullable(),
  createdAt: z.iso.datetime(),
  dialedAt: z.iso.datetime().nullable(),
});
export type CallbackSummary = z.infer<typeof CallbackSummary>;

const e164 = z
  .string()
  .trim()
  .regex(/^\+[1-9]\d{6,14}$/, 'must be an E.164 number such as +79161234567');

export const LineSummary = z.object({
  id: z.uuid(),
  number: z.string(),
  name: z.string(),
  greeting: z.string().nullable(),
  language: z.enum(['ru-RU', 'en-US']),
  fallbackNumber: z.string().nullable(),
  active: z.boolean(),
});
export type LineSummary = z.infer<typeof LineSummary>;
export const CreateLineBody = z.object({
  number: e164,
  name: z.string().trim().min(1).max(120),
  greeting: z.string().trim().max(1000).nullable().optional(),
  language: z.enum(['ru-RU', 'en-US']).default('ru-RU'),
  fallbackNumber: e164.nullable().optional(),
  active: z.boolean().default(true),
});
export type CreateLineBody = z.infer<typeof CreateLineBody>;
export const UpdateLineBody = CreateLineBody.partial();
export type UpdateLineBody = z.infer<typeof UpdateLineBody>;
export const LineIdParams = z.object({ id: z.uuid() });

export const VoiceTokenResponse = z.object({
  mode: z.enum(['twilio', 'simulator']),
  token: z.string().nullable(),
  identity: z.string(),
  ttlSeconds: z.number().int(),
});

// The caller simulator (admins): it sends signed webhooks, shaped like Twilio's, to our own endpoints.
export const SimCallBody = z.object({
  from: e164,
  to: e164.optional(),
  digits: z
    .string()
    .regex(/^[0-9*#]{0,8}$/)
    .optional(),
});
export const SimDigitsBody = z.object({ callSid: z.string().min(10), digits: z.string().regex(/^[0-9*#]{1,8}$/) });
export const SimHangupBody = z.object({ callSid: z.string().min(10) });
export const SimSmsBody = z.object({ from: e164, to: e164.optional(), body: z.string().max(1600), mediaUrls: z.array(z.url()).max(10).optional() });
export const SimResult = z.object({
  callSid: z.string().optional(),
  messageSid: z.string().optional(),
  status: z.number().int(),
  twiml: z.string().optional(),
});

const id = z.object({ callId: z.uuid() });
export const TransferPayload = z.object({ callId: z.uuid(), targetId: z.uuid(), mode: z.enum(['warm', 'cold']) });
export const AssignPayload = z.object({ callId: z.uuid(), operatorId: z.uuid() });
export const SetStatePayload = z.object({ state: z.enum(['available', 'away', 'offline']), reason: z.string().max(100).optional() });
export const ReplyPayload = z.object({ conversationId: z.uuid(), body: z.string().trim().min(1).max(1600) });
export const ConversationPayload = z.object({ conversationId: z.uuid() });
export const OfferPayload = z.object({ offerId: z.uuid() });
export const CallIdPayload = id;
export const ListenPayload = z.object({ callId: z.uuid(), mode: z.enum(['listen', 'join']) });

type Cmd<P, R> = (payload: P, ack: (res: Ack<R>) => void) => void;

export interface TelephonyServerEvents {
  /** A call changed (queued, offered, answered, held, transferred, ended). Operators and supervisors. */
  'call:updated': (call: CallSummary) => void;
  /** A call rings in this operator's console. */
  'call:offered': (offer: CallOfferSummary) => void;
  /** The offer is gone (taken by someone else, expired, caller hung up). */
  'call:offer-withdrawn': (info: { offerId: string; callId: string; reason: string }) => void;
  /** No one answered in time: the caller was offered voicemail or a call-back. Supervisors. */
  'call:unanswered-alert': (info: { callId: string; waitMs: number }) => void;
  'operator:state-changed': (state: OperatorStateSummary) => void;
  /** A thread changed. Every operator and supervisor: counts and times, no text. */
  'conversation:updated': (c: ConversationSummary) => void;
  /** A new SMS thread rings in this operator's console (take it or decline). */
  'conversation:offered': (offer: { conversation: ConversationSummary; expiresAt: string }) => void;
  /** A message with its text: only to the operator holding the thread and to supervisors who opened it. */
  'conversation:message': (m: MessageSummary) => void;
  'message:status': (m: { id: string; conversationId: string | null; status: string; errorCode: number | null }) => void;
  'callback:updated': (c: CallbackSummary) => void;
}

export interface TelephonyClientCommands {
  'telephony:snapshot': Cmd<Record<string, never>, TelephonySnapshot>;
  'call:accept': Cmd<z.infer<typeof CallIdPayload>, CallSummary>;
  'call:decline': Cmd<z.infer<typeof OfferPayload>, { ok: true }>;
  'call:hold': Cmd<z.infer<typeof CallIdPayload>, CallSummary>;
  'call:resume': Cmd<z.infer<typeof CallIdPayload>, CallSummary>;
  'call:hangup': Cmd<z.infer<typeof CallIdPayload>, CallSummary>;
  'call:transfer': Cmd<z.infer<typeof TransferPayload>, CallSummary>;
  /** Warm transfer: the first operator leaves once the second has joined. */
  'call:complete-transfer': Cmd<z.infer<typeof CallIdPayload>, CallSummary>;
  'call:assign': Cmd<z.infer<typeof AssignPayload>, CallSummary>;
  'call:listen': Cmd<z.infer<typeof ListenPayload>, CallSummary>;
  /** The supervisor stops listening to or leaves a call. */
  'call:stop-listening': Cmd<z.infer<typeof CallIdPayload>, CallSummary>;
  'operator:set-state': Cmd<z.infer<typeof SetStatePayload>, OperatorStateSummary>;
  'conversation:accept': Cmd<z.infer<typeof ConversationPayload>, ConversationSummary>;
  'conversation:decline': Cmd<z.infer<typeof ConversationPayload>, { ok: true }>;
  /** The thread's messages (audited). The operator holding it, or a supervisor, who then gets its
   * live messages until conversation:leave or the socket closes. Others: CONVERSATION_NOT_YOURS. */
  'conversation:messages': Cmd<z.infer<typeof ConversationPayload>, MessageSummary[]>;
  /** A supervisor closes the thread they opened: no more of its live messages. */
  'conversation:leave': Cmd<z.infer<typeof ConversationPayload>, { ok: true }>;
  'conversation:reply': Cmd<z.infer<typeof ReplyPayload>, MessageSummary>;
  'conversation:close': Cmd<z.infer<typeof ConversationPayload>, ConversationSummary>;
}

// ── SMS segments: GSM-7 (160, or 153 per part) vs UCS-2 (70, or 67 per part) ──
// GSM 03.38 basic character set, and the extension table (each costs two septets).
const GSM_BASIC = '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENDED = '^{}\\[~]|€\f';
const basic = new Set([...GSM_BASIC]);
const extended = new Set([...GSM_EXTENDED]);

export interface SegmentInfo {
  encoding: 'GSM-7' | 'UCS-2';
  /** Septets (GSM-7) or UTF-16 code units (UCS-2). */
  units: number;
  segments: number;
  /** Units left in the last segment. */
  remaining: number;
}

export function segmentInfo(body: string): SegmentInfo {
  let septets = 0;
  let gsm = true;
  for (const ch of body) {
    if (basic.has(ch)) septets += 1;
    else if (extended.has(ch)) septets += 2;
    else {
      gsm = false;
      break;
    }
  }
  if (gsm) {
    const segments = septets <= 160 ? 1 : Math.ceil(septets / 153);
    const cap = segments === 1 ? 160 : segments * 153;
    return { encoding: 'GSM-7', units: septets, segments: Math.max(1, segments), remaining: cap - septets };
  }
  // UCS-2 counts UTF-16 code units: an emoji outside the BMP takes two.
  const units = body.length;
  const segments = units <= 70 ? 1 : Math.ceil(units / 67);
  const cap = segments === 1 ? 70 : segments * 67;
  return { encoding: 'UCS-2', units, segments: Math.max(1, segments), remaining: cap - units };
}

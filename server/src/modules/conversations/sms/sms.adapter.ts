// The SMS channel, through Twilio (services.twilio): Twilio's SMS webhooks as neutral inbound
// messages, outbound texts through the gateway, Twilio's delivery states, STOP/START keywords and
// GSM-7/UCS-2 segments. The first ChannelAdapter (../channel.ts).
import type { Services } from '../../../kernel.js';
import type { ChannelAdapter } from '../channel.js';
import { keywordOf, segmentInfo, TWILIO_OPTED_OUT_ERROR } from './sms-text.js';

/** Twilio's SMS webhook form (POST /twilio/sms). */
export interface WebhookSms {
  MessageSid: string;
  From: string;
  To: string;
  Body?: string;
  NumMedia?: string;
  [k: string]: string | undefined;
}

/** Twilio's message status callback form (POST /twilio/sms/status). */
export interface SmsStatusForm {
  MessageSid?: string;
  MessageStatus?: string;
  SmsStatus?: string;
  ErrorCode?: string;
}

export function smsAdapter(deps: {
  twilio: Services['twilio'];
  lines: Services['lines'];
  smsFrom: string | undefined;
}): ChannelAdapter<WebhookSms, SmsStatusForm> {
  const { twilio, lines, smsFrom } = deps;
  const { gateway } = twilio;
  return {
    channel: 'sms',
    normaliseInbound(p) {
      const numMedia = Math.max(0, Number.parseInt(p.NumMedia ?? '0', 10) || 0);
      const mediaUrls: string[] = [];
      const mediaTypes: string[] = [];
      for (let i = 0; i < numMedia && i < 10; i++) {
        if (p[`MediaUrl${i}`]) mediaUrls.push(p[`MediaUrl${i}`]!);
        if (p[`MediaContentType${i}`]) mediaTypes.push(p[`MediaContentType${i}`]!);
      }
      return {
        channel: 'sms',
        externalId: p.MessageSid,
        from: p.From,
        to: p.To,
        body: p.Body ?? '',
        numMedia,
        mediaUrls,
        mediaTypes,
        segments: Number.parseInt(p.NumSegments ?? '', 10) || null,
      };
    },
    async senderFor(lineId) {
      // A worker process has never seen a webhook: the line is read from the database if need be.
      // Its own line, else TWILIO_SMS_FROM, else the first active line.
      const line = (await lines.byId(lineId)) ?? (smsFrom ? null : await lines.sender(null));
      const from = line?.number ?? smsFrom;
      // Not unrecoverable: the message stays pending, the job retries with backoff, and once its
      // attempts are spent the reconcile schedule queues it again (a line may be added meanwhile).
      if (!from) throw new Error('no sender number: add a line or set TWILIO_SMS_FROM');
      return from;
    },
    async send(m) {
      const statusCallback = `${gateway.publicUrl}/twilio/sms/status?m=${m.messageId}`;
      const res = await gateway.sendSms({ to: m.to, from: m.from, body: m.body, statusCallback });
      return { externalId: res.sid, status: res.status };
    },
    async findSent(m) {
      const hit = await gateway.findAccepted(m);
      return hit ? { externalId: hit.sid, status: hit.status } : null;
    },
    deliveryStatus(p) {
      return {
        channel: 'sms',
        externalId: p.MessageSid,
        status: p.MessageStatus ?? p.SmsStatus ?? '',
        errorCode: p.ErrorCode ? Number.parseInt(p.ErrorCode, 10) || null : null,
      };
    },
    optOut: { keywordOf, providerError: TWILIO_OPTED_OUT_ERROR, providerKeyword: 'twilio-21610' },
    segments: segmentInfo,
  };
}

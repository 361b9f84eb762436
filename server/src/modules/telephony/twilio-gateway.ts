// The REST calls telephony makes to Twilio, in one place. In simulator mode the same twilio
// client is built with the stand-in as its `httpClient`, so every call below runs the real
// library code and only the transport differs.
import twilio from 'twilio';
import type { Config } from '../../config.js';
import { CallerSimulator, TwilioStandIn, type SimMessageLog, type SimTarget } from './twilio-sim.js';

export interface TwilioGateway {
  readonly mode: 'twilio' | 'simulator';
  /** Present in simulator mode only. */
  readonly standIn?: TwilioStandIn;
  readonly caller?: CallerSimulator;
  readonly publicUrl: string;
  sendSms(m: { to: string; from: string; body: string; statusCallback: string }): Promise<{ sid: string; status: string }>;
  /** A message with this text that Twilio accepted for `to` from `from` since `since`, if any. */
  findAccepted(m: { to: string; from: string; body: string; since: Date }): Promise<{ sid: string; status: string } | null>;
  redirectCall(callSid: string, url: string): Promise<void>;
  endCall(callSid: string): Promise<void>;
  holdCaller(conference: string, hold: boolean, holdUrl: string): Promise<void>;
  addParticipant(conference: string, p: { to: string; from: string; label: string; muted?: boolean; coach?: string }): Promise<void>;
  removeParticipant(conference: string, label: string): Promise<void>;
  dialOut(c: { to: string; from: string; twiml: string; statusCallback: string }): Promise<string>;
  accessToken(identity: string, ttlSeconds: number): string | null;
  /** CallSids waiting in the Twilio-native fallback queue. */
  fallbackQueueMembers(queueName: string): Promise<string[]>;
}

/** Where the simulator and the stand-in send webhooks: this server's own listening address. */
export function simTarget(config: Config): SimTarget {
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host;
  return {
    baseUrl: `http://${host}:${config.port}`,
    publicUrl: config.publicUrl,
    authToken: config.telephony.authToken,
    accountSid: config.telephony.accountSid,
  };
}

export interface GatewayOptions {
  log?: { info(obj: object, msg: string): void };
  /** Simulator mode: where the stand-in keeps the messages it accepted (shared by processes). */
  simMessages?: SimMessageLog;
}

export function twilioGateway(config: Config, opts: GatewayOptions = {}): TwilioGateway {
  const t = config.telephony;
  let standIn: TwilioStandIn | undefined;
  let caller: CallerSimulator | undefined;
  if (t.simulator) {
    const target = simTarget(config);
    caller = new CallerSimulator(target);
    standIn = new TwilioStandIn(target, caller, opts.simMessages);
    standIn.log = opts.log;
  }
  const client = twilio(t.accountSid, t.authToken, standIn ? { httpClient: standIn as never, autoRetry: false } : { autoRetry: true, maxRetries: 2 });
  const conf = (name: string) => client.conferences(name);

  return {
    mode: t.simulator ? 'simulator' : 'twilio',
    standIn,
    caller,
    publicUrl: config.publicUrl,
    async sendSms(m) {
      const res = await client.messages.create({ to: m.to, from: m.from, body: m.body, statusCallback: m.statusCallback });
      return { sid: res.sid, status: res.status };
    },
    async findAccepted(m) {
      // Newest first; a minute of slack for clocks that differ between us and Twilio.
      const recent = await client.messages.list({ to: m.to, from: m.from, limit: 50 });
      const hit = recent.find((r) => r.body === m.body && r.dateCreated.getTime() >= m.since.getTime() - 60_000);
      return hit ? { sid: hit.sid, status: hit.status } : null;
    },
    async redirectCall(callSid, url) {
      await client.calls(callSid).update({ url, method: 'POST' });
    },
    async endCall(callSid) {
      await client.calls(callSid).update({ status: 'completed' });
    },
    async holdCaller(conference, hold, holdUrl) {
      await conf(conference).participants('caller').update({ hold, holdUrl, holdMethod: 'GET' });
    },
    async addParticipant(conference, p) {
      await conf(conference).participants.create({
        from: p.from,
        to: p.to,
        label: p.label,
        muted: p.muted ?? false,
        startConferenceOnEnter: true,
        endConferenceOnExit: false,
        ...(p.coach ? { coaching: true, callSidToCoach: p.coach } : {}),
      });
    },
    async removeParticipant(conference, label) {
      await conf(conference).participants(label).remove();
    },
    async dialOut(c) {
      const res = await client.calls.create({
        to: c.to,
        from: c.from,
        twiml: c.twiml,
        statusCallback: c.statusCallback,
        statusCallbackEvent: ['initiated', 'ringing', 'answered', 'completed'],
      });
      return res.sid;
    },
    async fallbackQueueMembers(queueName) {
      const queues = await client.queues.list({ limit: 100 });
      const q = queues.find((x) => x.friendlyName === queueName);
      if (!q || !q.currentSize) return [];
      return (await client.queues(q.sid).members.list({ limit: 100 })).map((m) => m.callSid);
    },
    accessToken(identity, ttlSeconds) {
      if (t.simulator || !t.apiKey || !t.apiSecret) return null;
      const { AccessToken } = twilio.jwt;
      const token = new AccessToken(t.accountSid, t.apiKey, t.apiSecret, { identity, ttl: ttlSeconds });
      token.addGrant(new AccessToken.VoiceGrant({ outgoingApplicationSid: t.twimlAppSid, incomingAllow: true }));
      return token.toJwt();
    },
  };
}

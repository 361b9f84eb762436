// Simulator mode (no Twilio account): the caller side sends webhooks exactly as Twilio would
// (same parameters, signed with the auth token over PUBLIC_URL + path), and the stand-in answers
// the twilio client's REST calls (through its `httpClient` option), records them, and sends the
// status callbacks Twilio would send. Used by the console's simulator page, `npm run simulate`,
// the tests and the benchmarks.
import { createHash, randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';
import twilio from 'twilio';

const API_VERSION = '2010-04-01';
export const sid = (prefix: 'CA' | 'SM' | 'MM' | 'CF' | 'RE') => `${prefix}${randomBytes(16).toString('hex')}`;

export interface SimTarget {
  /** Where requests are sent (the server's own address). */
  baseUrl: string;
  /** What Twilio would sign: PUBLIC_URL. */
  publicUrl: string;
  authToken: string;
  accountSid: string;
}

export interface SimCall {
  callSid: string;
  from: string;
  to: string;
  startedAt: number;
  /** The action of the last <Gather> the caller heard, if any. */
  gatherAction?: string;
  recordAction?: string;
  twiml: string[];
}

const place = (prefix: string, country: string) => ({
  [`${prefix}City`]: country === 'RU' ? 'МОСКВА' : '',
  [`${prefix}State`]: country === 'RU' ? 'Moscow' : '',
  [`${prefix}Zip`]: '',
  [`${prefix}Country`]: country,
});
const countryOf = (n: string) => (n.startsWith('+7') ? 'RU' : n.startsWith('+1') ? 'US' : 'GB');

export function signedHeaders(target: SimTarget, path: string, params: Record<string, string>) {
  const url = target.publicUrl + path;
  return {
    'content-type': 'application/x-www-form-urlencoded; charset=utf-8',
    'x-twilio-signature': twilio.getExpectedTwilioSignature(target.authToken, url, params),
    'i-twilio-idempotency-token': randomBytes(12).toString('hex'),
    'user-agent': 'TwilioProxy/1.1',
  };
}

/** POSTs a signed, form-encoded webhook; `path` may carry a query string (it is signed too). */
export async function postWebhook(target: SimTarget, path: string, params: Record<string, string>) {
  const res = await fetch(target.baseUrl + path, {
    method: 'POST',
    headers: signedHeaders(target, path, params),
    body: new URLSearchParams(params).toString(),
  });
  return { status: res.status, text: await res.text() };
}

const attr = (tag: string, name: string) => new RegExp(`${name}="([^"]*)"`).exec(tag)?.[1]?.replaceAll('&amp;', '&');
const pathOf = (target: SimTarget, url: string) => (url.startsWith(target.publicUrl) ? url.slice(target.publicUrl.length) : url);

export class CallerSimulator {
  readonly calls = new Map<string, SimCall>();
  /** Told when a call is put in a Twilio-native queue (<Enqueue>), as Twilio would hold it. */
  onEnqueue?: (callSid: string) => void;
  constructor(readonly target: SimTarget) {}

  private callParams(call: SimCall, status: string, extra: Record<string, string> = {}) {
    const fc = countryOf(call.from);
    const tc = countryOf(call.to);
    return {
      AccountSid: this.target.accountSid,
      ApiVersion: API_VERSION,
      CallSid: call.callSid,
      CallStatus: status,
      Direction: 'inbound',
      From: call.from,
      Caller: call.from,
      To: call.to,
      Called: call.to,
      ...place('From', fc),
      ...place('Caller', fc),
      ...place('To', tc),
      ...place('Called', tc),
      ...extra,
    };
  }

  /** Follows the TwiML the way Twilio would, as far as a caller without audio can. */
  private async follow(call: SimCall, path: string, params: Record<string, string>, digitsQueue: string[]) {
    let res = await postWebhook(this.target, path, params);
    for (let hops = 0; hops < 6; hops++) {
      call.twiml.push(res.text);
      if (res.status >= 300) return res;
      const gather = /<Gather[^>]*>/.exec(res.text)?.[0];
      const record = /<Record[^>]*>/.exec(res.text)?.[0];
      const redirect = /<Redirect[^>]*>([^<]*)<\/Redirect>/.exec(res.text);
      call.gatherAction = gather ? attr(gather, 'action') : undefined;
      call.recordAction = record ? attr(record, 'action') : undefined;
      if (res.text.includes('<Enqueue')) this.onEnqueue?.(call.callSid);
      const digits = digitsQueue.shift();
      if (call.gatherAction && digits !== undefined) {
        res = await postWebhook(
          this.target,
          pathOf(this.target, call.gatherAction),
          this.callParams(call, 'in-progress', { Digits: digits, FinishedOnKey: '' }),
        );
      } else if (redirect?.[1]) {
        res = await postWebhook(this.target, pathOf(this.target, redirect[1].replaceAll('&amp;', '&')), this.callParams(call, 'in-progress'));
      } else return res;
    }
    return res;
  }

  /** An incoming call; `digits` are pressed at each <Gather> in turn ('' waits the gather out). */
  async placeCall(opts: { from: string; to: string; digits?: string; callSid?: string }) {
    const call: SimCall = { callSid: opts.callSid ?? sid('CA'), from: opts.from, to: opts.to, startedAt: Date.now(), twiml: [] };
    this.calls.set(call.callSid, call);
    const queue = opts.digits === undefined ? [''] : [opts.digits];
    const res = await this.follow(
      call,
      '/twilio/voice',
      this.callParams(call, 'ringing'),
      queue.map((d) => d),
    );
    return { callSid: call.callSid, status: res.status, twiml: res.text };
  }

  /** Presses digits at the caller's current <Gather> (e.g. voicemail or call-back menu). */
  async press(callSid: string, digits: string) {
    const call = this.calls.get(callSid);
    if (!call?.gatherAction) return { callSid, status: 409, twiml: 'no menu is playing on this call' };
    const res = await this.follow(call, pathOf(this.target, call.gatherAction), this.callParams(call, 'in-progress', { Digits: digits }), []);
    return { callSid, status: res.status, twiml: res.text };
  }

  /** Finishes a <Record> as Twilio would after the caller speaks. */
  async finishRecording(callSid: string, seconds = 12) {
    const call = this.calls.get(callSid);
    if (!call?.recordAction) return { callSid, status: 409, twiml: 'not recording' };
    const recordingSid = sid('RE');
    const res = await this.follow(
      call,
      pathOf(this.target, call.recordAction),
      this.callParams(call, 'in-progress', {
        RecordingUrl: `https://api.twilio.com/${API_VERSION}/Accounts/${this.target.accountSid}/Recordings/${recordingSid}`,
        RecordingSid: recordingSid,
        RecordingDuration: String(seconds),
        Digits: 'hangup',
      }),
      [],
    );
    return { callSid, status: res.status, twiml: res.text };
  }

  /** The caller hangs up: Twilio's final status callback. */
  async hangup(callSid: string, status: 'completed' | 'busy' | 'no-answer' | 'failed' | 'canceled' = 'completed') {
    const call = this.calls.get(callSid) ?? { callSid, from: '+70000000000', to: '+70000000000', startedAt: Date.now(), twiml: [] };
    const duration = String(Math.round((Date.now() - call.startedAt) / 1000));
    const res = await postWebhook(
      this.target,
      '/twilio/voice/status',
      this.callParams(call, status, {
        CallDuration: duration,
        Duration: duration,
        Timestamp: new Date().toUTCString(),
        CallbackSource: 'call-progress-events',
        SequenceNumber: '0',
      }),
    );
    this.calls.delete(callSid);
    return { callSid, status: res.status };
  }

  /** An incoming SMS/MMS. */
  async sendSms(opts: { from: string; to: string; body: string; mediaUrls?: string[]; messageSid?: string }) {
    const messageSid = opts.messageSid ?? sid(opts.mediaUrls?.length ? 'MM' : 'SM');
    const media: Record<string, string> = {};
    (opts.mediaUrls ?? []).forEach((url, i) => {
      media[`MediaUrl${i}`] = url;
      media[`MediaContentType${i}`] = /\.png$/i.test(url) ? 'image/png' : 'image/jpeg';
    });
    const fc = countryOf(opts.from);
    const tc = countryOf(opts.to);
    const params = {
      AccountSid: this.target.accountSid,
      ApiVersion: API_VERSION,
      MessageSid: messageSid,
      SmsMessageSid: messageSid,
      SmsSid: messageSid,
      SmsStatus: 'received',
      Body: opts.body,
      From: opts.from,
      To: opts.to,
      NumMedia: String(opts.mediaUrls?.length ?? 0),
      NumSegments: '1',
      ...place('From', fc),
      ...place('To', tc),
      ...media,
    };
    const res = await postWebhook(this.target, '/twilio/sms', params);
    return { messageSid, status: res.status, twiml: res.text };
  }
}

// ── The REST stand-in ────────────────────────────────────────────────────────────────────────

export interface RecordedRequest {
  method: string;
  path: string;
  data: Record<string, string>;
  at: number;
}

interface StandInRequest {
  method: string;
  uri: string;
  data?: Record<string, unknown>;
  params?: Record<string, unknown>;
}

const flat = (o: Record<string, unknown> | undefined) =>
  Object.fromEntries(
    Object.entries(o ?? {})
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => [k, Array.isArray(v) ? v.join(' ') : String(v)]),
  );

/** One Message resource as Twilio keeps it after accepting a message. */
export interface SimMessageRecord {
  sid: string;
  to: string;
  from: string;
  body: string;
  status: string;
  dateCreated: string;
}

/** Twilio's record of the messages it accepted. Twilio keeps it in its cloud, not in the process
 * that sent the message, so that a worker can ask after another worker died mid-send; the server
 * passes one kept in Redis, shared by every process, and tests of one process may keep it here. */
export interface SimMessageLog {
  add(m: SimMessageRecord): Promise<void>;
  /** Newest first, as Twilio lists them. */
  list(filter: { to?: string; from?: string }): Promise<SimMessageRecord[]>;
}

export function memoryMessageLog(): SimMessageLog {
  const all: SimMessageRecord[] = [];
  return {
    async add(m) {
      all.unshift(m);
      all.length = Math.min(all.length, 1_000);
    },
    async list(f) {
      return all.filter((m) => (!f.to || m.to === f.to) && (!f.from || m.from === f.from));
    },
  };
}

/** Per recipient (the key holds a hash of the number, not the number), the last 200, for a day. */
export function redisMessageLog(redis: Redis, prefix: string): SimMessageLog {
  const key = (to: string) => `${prefix}:twilio-sim:messages:${createHash('sha256').update(to).digest('hex').slice(0, 32)}`;
  return {
    async add(m) {
      await redis.multi().lpush(key(m.to), JSON.stringify(m)).ltrim(key(m.to), 0, 199).expire(key(m.to), 86_400).exec();
    },
    async list(f) {
      if (!f.to) return [];
      const rows = (await redis.lrange(key(f.to), 0, 199)).map((r) => JSON.parse(r) as SimMessageRecord);
      return rows.filter((m) => !f.from || m.from === f.from);
    },
  };
}

/** Answers the twilio client's REST calls locally; pass it as the client's `httpClient`. */
export class TwilioStandIn {
  readonly requests: RecordedRequest[] = [];
  /** Numbers Twilio would refuse with 21610 (they texted STOP to Twilio directly). */
  readonly optedOut = new Set<string>();
  /** Delay before each status callback, as the network would add. */
  callbackDelayMs = 20;
  /** Where accepted messages are noted (sid and our message id only), so a test that runs the
   * workers as separate processes can count what each one sent. */
  log?: { info(obj: object, msg: string): void };
  private pending = new Set<Promise<unknown>>();

  /** Calls waiting in Twilio's own queue (the fallback path's <Enqueue>). */
  readonly queued = new Set<string>();

  constructor(
    readonly target: SimTarget,
    readonly caller?: CallerSimulator,
    readonly messages: SimMessageLog = memoryMessageLog(),
  ) {
    if (caller) caller.onEnqueue = (callSid) => this.queued.add(callSid);
  }

  /** Waits for every status callback already scheduled (tests). */
  async settle() {
    while (this.pending.size) await Promise.allSettled([...this.pending]);
  }

  private later(fn: () => Promise<unknown>, delay = this.callbackDelayMs) {
    const p: Promise<unknown> = new Promise((r) => setTimeout(r, delay))
      .then(fn)
      .catch(() => {})
      .finally(() => this.pending.delete(p));
    this.pending.add(p);
  }

  private callback(url: string | undefined, params: Record<string, string>, delay?: number) {
    if (!url) return;
    const path = url.startsWith(this.target.publicUrl) ? url.slice(this.target.publicUrl.length) : new URL(url).pathname + new URL(url).search;
    this.later(() => postWebhook(this.target, path, params), delay);
  }

  async request(opts: StandInRequest): Promise<{ statusCode: number; body: unknown; headers: Record<string, string> }> {
    const url = new URL(opts.uri);
    const path = url.pathname.replace(`/${API_VERSION}/Accounts/${this.target.accountSid}`, '');
    const data = flat(opts.data);
    this.requests.push({ method: opts.method.toUpperCase(), path, data, at: Date.now() });
    const ok = (statusCode: number, body: unknown) => ({ statusCode, body: JSON.stringify(body), headers: { 'content-type': 'application/json' } });
    const now = new Date().toUTCString();
    const base = { AccountSid: this.target.accountSid, ApiVersion: API_VERSION };

    if (opts.method === 'post' && path === '/Messages.json') {
      if (this.optedOut.has(data.To ?? '')) {
        return ok(400, {
          code: 21610,
          message: 'Attempt to send to unsubscribed recipient',
          more_info: 'https://www.twilio.com/docs/errors/21610',
          status: 400,
        });
      }
      const messageSid = sid('SM');
      const from = data.From ?? '';
      const msg = { ...base, MessageSid: messageSid, SmsSid: messageSid, From: from, To: data.To ?? '' };
      const messageId = data.StatusCallback ? new URL(data.StatusCallback).searchParams.get('m') : null;
      await this.messages.add({ sid: messageSid, to: data.To ?? '', from, body: data.Body ?? '', status: 'queued', dateCreated: new Date().toISOString() });
      this.log?.info({ simulator: 'message-accepted', sid: messageSid, messageId }, 'simulator accepted a message');
      this.callback(data.StatusCallback, { ...msg, MessageStatus: 'sent', SmsStatus: 'sent' });
      this.callback(data.StatusCallback, { ...msg, MessageStatus: 'delivered', SmsStatus: 'delivered' }, this.callbackDelayMs * 3);
      return ok(201, {
        sid: messageSid,
        account_sid: this.target.accountSid,
        status: 'queued',
        to: data.To,
        from,
        body: data.Body,
        num_segments: '1',
        direction: 'outbound-api',
        date_created: now,
        api_version: API_VERSION,
        error_code: null,
      });
    }
    if (opts.method === 'get' && path === '/Messages.json') {
      const q = flat(opts.params);
      const rows = await this.messages.list({ to: q.To, from: q.From });
      const messages = rows.map((m) => ({
        sid: m.sid,
        account_sid: this.target.accountSid,
        to: m.to,
        from: m.from,
        body: m.body,
        status: m.status,
        direction: 'outbound-api',
        date_created: new Date(m.dateCreated).toUTCString(),
        date_sent: null,
        num_segments: '1',
        api_version: API_VERSION,
        error_code: null,
      }));
      return ok(200, {
        messages,
        page: 0,
        page_size: messages.length || 50,
        start: 0,
        end: Math.max(messages.length - 1, 0),
        first_page_uri: url.pathname,
        next_page_uri: null,
        previous_page_uri: null,
        uri: url.pathname,
      });
    }
    if (opts.method === 'post' && path === '/Calls.json') {
      const callSid = sid('CA');
      const params = { ...base, CallSid: callSid, From: data.From ?? '', To: data.To ?? '', Direction: 'outbound-api' };
      this.callback(data.StatusCallback, { ...params, CallStatus: 'ringing' });
      this.callback(data.StatusCallback, { ...params, CallStatus: 'in-progress' }, this.callbackDelayMs * 2);
      return ok(201, {
        sid: callSid,
        account_sid: this.target.accountSid,
        status: 'queued',
        to: data.To,
        from: data.From,
        direction: 'outbound-api',
        date_created: now,
        api_version: API_VERSION,
      });
    }
    if (opts.method === 'get' && path === '/Queues.json') {
      return ok(200, {
        queues: [
          {
            sid: 'QU00000000000000000000000000000001',
            friendly_name: 'trustline-fallback',
            current_size: this.queued.size,
            account_sid: this.target.accountSid,
          },
        ],
        end: 0,
        page: 0,
        page_size: 50,
        start: 0,
      });
    }
    if (opts.method === 'get' && /^\/Queues\/QU[0-9a-f]{32}\/Members\.json$/.test(path)) {
      return ok(200, {
        queue_members: [...this.queued].map((callSid, i) => ({
          call_sid: callSid,
          position: i + 1,
          wait_time: 10,
          queue_sid: 'QU00000000000000000000000000000001',
        })),
        end: 0,
        page: 0,
        page_size: 50,
        start: 0,
      });
    }
    const callUpdate = /^\/Calls\/(CA[0-9a-f]{32})\.json$/.exec(path);
    if (opts.method === 'post' && callUpdate) {
      const callSid = callUpdate[1]!;
      if (data.Url) this.queued.delete(callSid);
      if (data.Status === 'completed' && this.caller?.calls.has(callSid)) {
        const caller = this.caller;
        this.later(() => caller.hangup(callSid));
      } else if (data.Url && this.caller?.calls.has(callSid)) {
        const call = this.caller.calls.get(callSid)!;
        const caller = this.caller;
        // Twilio fetches the new URL at once and plays it to the caller.
        this.later(async () => {
          const res = await postWebhook(this.target, pathOf(this.target, data.Url!), {
            ...base,
            CallSid: callSid,
            From: call.from,
            To: call.to,
            CallStatus: 'in-progress',
            Direction: 'inbound',
          });
          call.twiml.push(res.text);
          const gather = /<Gather[^>]*>/.exec(res.text)?.[0];
          call.gatherAction = gather ? attr(gather, 'action') : undefined;
          void caller;
        }, 0);
      }
      return ok(200, { sid: callSid, account_sid: this.target.accountSid, status: data.Status ?? 'in-progress', api_version: API_VERSION });
    }
    const participants = /^\/Conferences\/([^/]+)\/Participants(?:\/([^/]+))?\.json$/.exec(path);
    if (participants) {
      if (opts.method === 'delete') return { statusCode: 204, body: '', headers: {} };
      return ok(opts.method === 'post' && !participants[2] ? 201 : 200, {
        account_sid: this.target.accountSid,
        call_sid: sid('CA'),
        conference_sid: participants[1],
        label: data.Label ?? participants[2] ?? null,
        hold: data.Hold === 'true',
        muted: data.Muted === 'true',
        status: 'connected',
        date_created: now,
      });
    }
    return ok(200, {});
  }
}

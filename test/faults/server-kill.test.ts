// The server process SIGKILLed under 50 signed webhooks a second (inbound SMS from several
// senders, inbound calls and their status callbacks), then started again while the load goes on.
// Requests sent while it is down fail at the connection level: that is what Twilio sees as not
// 2xx (and retries or falls back). Every webhook that was answered 2xx must have its record —
// messages by MessageSid, calls by CallSid — and none may be recorded twice.
import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signedHeaders } from '../../server/src/modules/telephony/twilio-sim.js';
import { startCluster, type Cluster, type ClusterNode } from '../helpers/cluster.js';
import { sid, smsForm } from '../helpers/fault-node.js';
import { sleep, until } from '../helpers/telephony.js';

const LINE = '+74950000201';
const FALLBACK = '+74950009998';
const SENDERS = ['+79160000011', '+79160000012', '+79160000013', '+79160000014', '+79160000015', '+79160000016'];
const CALLERS = ['+79160000021', '+79160000022', '+79160000023'];
const ACCOUNT = 'AC00000000000000000000000000000000';
const TICK_MS = 20; // 50 webhooks a second
// Twilio gives up on a webhook after 15 s; so does this sender.
const TWILIO_TIMEOUT_MS = 15_000;

type Kind = 'sms' | 'voice' | 'status';
interface Sent {
  kind: Kind;
  sid: string;
  at: number;
  /** HTTP status, or -1 when the connection failed (refused, reset, timed out). */
  status: number;
  text: string;
  path: string;
  params: Record<string, string>;
  /** The status of the same webhook sent again after the restart, as Twilio's fallback URL or retry would. */
  resent?: number;
}

describe('the server SIGKILLed under load', () => {
  let cluster: Cluster;
  let server: ClusterNode;

  beforeAll(async () => {
    cluster = await startCluster({ servers: 1, workers: 1, env: { TELEPHONY_FALLBACK_AFTER_MS: '1500' } });
    server = cluster.servers[0]!;
    await cluster.prisma.line.create({ data: { number: LINE, name: 'Kill line', fallbackNumber: FALLBACK } });
  });
  afterAll(async () => {
    await cluster?.close();
  });

  it('records every webhook it answered 2xx, once, across a SIGKILL and a restart', async () => {
    const target = cluster.target(server);
    const sent: Sent[] = [];
    const inflight: Promise<void>[] = [];
    const send = (path: string, params: Record<string, string>) =>
      fetch(target.baseUrl + path, {
        method: 'POST',
        headers: signedHeaders(target, path, params),
        body: new URLSearchParams(params).toString(),
        signal: AbortSignal.timeout(TWILIO_TIMEOUT_MS),
      }).then(
        async (r) => ({ status: r.status, text: await r.text().catch(() => '') }),
        () => ({ status: -1, text: '' }),
      );
    const post = (kind: Kind, sidValue: string, path: string, params: Record<string, string>) => {
      const s: Sent = { kind, sid: sidValue, at: Date.now(), status: 0, text: '', path, params };
      sent.push(s);
      inflight.push(send(path, params).then((r) => void Object.assign(s, r)));
    };
    const calls: { sid: string; from: string }[] = [];
    let n = 0;
    // Ten slots: six texts, two new calls, two status callbacks that end earlier calls.
    const one = () => {
      const slot = n++ % 10;
      if (slot === 2 || slot === 7) {
        const call = { sid: sid('CA'), from: CALLERS[n % CALLERS.length]! };
        calls.push(call);
        post('voice', call.sid, '/twilio/voice', {
          AccountSid: ACCOUNT,
          CallSid: call.sid,
          From: call.from,
          To: LINE,
          CallStatus: 'ringing',
          Direction: 'inbound',
        });
      } else if ((slot === 4 || slot === 9) && calls.length > 4) {
        const call = calls[calls.length - 5]!; // a call that rang a few hundred ms ago
        post('status', call.sid, '/twilio/voice/status', {
          AccountSid: ACCOUNT,
          CallSid: call.sid,
          From: call.from,
          To: LINE,
          CallStatus: 'completed',
          CallDuration: '3',
          Direction: 'inbound',
        });
      } else {
        const messageSid = sid('SM');
        post('sms', messageSid, '/twilio/sms', smsForm(messageSid, SENDERS[n % SENDERS.length]!, LINE, `text ${n}`));
      }
    };
    let sending = true;
    const loop = (async () => {
      let next = Date.now();
      while (sending) {
        one();
        next += TICK_MS;
        await sleep(Math.max(0, next - Date.now()));
      }
    })();

    await sleep(6_000);
    const killedAt = Date.now();
    await cluster.kill(server);
    // Start it again at once, as a supervisor (systemd, Docker, Kubernetes) would; the load goes on.
    await cluster.restart(server);
    const upAt = Date.now();
    await sleep(8_000);
    sending = false;
    await loop;
    await Promise.all(inflight);
    // What failed at the connection level is sent once more, at the same rate, as Twilio's
    // fallback URL (texts) or retry would: the same MessageSid/CallSid must not be recorded twice.
    const again: Promise<void>[] = [];
    for (const s of sent.filter((x) => x.status === -1)) {
      again.push(send(s.path, s.params).then((r) => void (s.resent = r.status)));
      await sleep(TICK_MS);
    }
    await Promise.all(again);
    const is2xx = (status: number | undefined) => status !== undefined && status >= 200 && status < 300;
    const resent = sent.filter((s) => s.resent !== undefined);
    const resentOk = resent.filter((s) => is2xx(s.resent));

    const ok = sent.filter((s) => s.status >= 200 && s.status < 300);
    const failed = sent.filter((s) => !(s.status >= 200 && s.status < 300));
    const connErrors = failed.filter((s) => s.status === -1);
    const httpErrors = failed.filter((s) => s.status !== -1);
    // A call answered by the fallback TwiML is recorded from its status callback, not at once.
    const voiceFallback = ok.filter((s) => s.kind === 'voice' && s.text.includes(FALLBACK));

    // Every webhook answered 2xx, first time or when sent again, must be on record (a resent
    // voice webhook is left out: its TwiML is not kept, so a fallback answer cannot be told apart).
    const answered = [...ok, ...resentOk.filter((s) => s.kind !== 'voice')];
    const smsOk = answered.filter((s) => s.kind === 'sms').map((s) => s.sid);
    const callOk = [...new Set(answered.filter((s) => (s.kind === 'voice' && !s.text.includes(FALLBACK)) || s.kind === 'status').map((s) => s.sid))];
    const allSms = sent.filter((s) => s.kind === 'sms').map((s) => s.sid);
    const allCalls = calls.map((c) => c.sid);
    // Spooled texts and status callbacks are recorded by the drainers; wait for them.
    const read = async () => ({
      messages: await cluster.prisma.message.findMany({ where: { messageSid: { in: allSms } }, select: { messageSid: true } }),
      callRows: await cluster.prisma.call.findMany({ where: { callSid: { in: allCalls } }, select: { callSid: true, status: true } }),
    });
    const { messages, callRows } = await until(
      async () => {
        const r = await read();
        const sms = new Set(r.messages.map((m) => m.messageSid));
        const cs = new Set(r.callRows.map((c) => c.callSid));
        return smsOk.every((s) => sms.has(s)) && callOk.every((s) => cs.has(s)) ? r : null;
      },
      30_000,
      500,
    ).catch(read);
    const haveSms = new Set(messages.map((r) => r.messageSid));
    const haveCalls = new Set(callRows.map((r) => r.callSid));
    const lostSms = smsOk.filter((s) => !haveSms.has(s));
    const lostCalls = callOk.filter((s) => !haveCalls.has(s));
    const dupSms = messages.length - haveSms.size;
    const dupCalls = callRows.length - haveCalls.size;
    // Recorded though the sender never saw a 2xx: the process died between the commit and the answer.
    const unacked = messages.filter((m) => !smsOk.includes(m.messageSid!)).length;
    // Answered by the fallback TwiML, then no status callback got through: the caller reached the
    // duty number, but the call is not on record.
    const statusOk = new Set(answered.filter((s) => s.kind === 'status').map((s) => s.sid));
    const fallbackUnrecorded = voiceFallback.filter((s) => !haveCalls.has(s.sid));

    const logs = server.logs();
    const spooledSms = logs.split('inbound SMS spooled').length - 1;
    const spooledStatus = logs.split('voice status spooled').length - 1;
    process.stdout.write(
      `\n[fault:server-kill] sent=${sent.length} (sms=${allSms.length} voice=${sent.filter((s) => s.kind === 'voice').length} ` +
        `status=${sent.filter((s) => s.kind === 'status').length}) ` +
        `2xx=${ok.length} non-2xx=${httpErrors.length} connection-errors=${connErrors.length} voice-fallback=${voiceFallback.length} ` +
        `(unrecorded, their status callback not through=${fallbackUnrecorded.length}) ` +
        `spooled: sms=${spooledSms} status=${spooledStatus} resent=${resent.length} (2xx=${resentOk.length}) downtime=${upAt - killedAt}ms ` +
        `recorded: sms=${messages.length} calls=${callRows.length} recorded-without-2xx=${unacked} ` +
        `lost: sms=${lostSms.length} calls=${lostCalls.length} duplicates: sms=${dupSms} calls=${dupCalls}\n`,
    );
    // Per second from the kill: answered 2xx / connection errors / other statuses / voice fallbacks.
    const perSecond = new Map<number, number[]>();
    for (const s of sent) {
      const b = Math.floor((s.at - killedAt) / 1000);
      const row = perSecond.get(b) ?? [0, 0, 0, 0];
      row[s.status >= 200 && s.status < 300 ? 0 : s.status === -1 ? 1 : 2]!++;
      if (s.kind === 'voice' && s.text.includes(FALLBACK)) row[3]!++;
      perSecond.set(b, row);
    }
    process.stdout.write(
      `[fault:server-kill] per second from the kill (2xx/conn/other/fallback): ${[...perSecond].map(([b, r]) => `${b}:${r.join('/')}`).join(' ')}\n`,
    );
    // FAULT_LOG=<file> keeps both processes' logs for a closer look.
    if (process.env.FAULT_LOG) writeFileSync(process.env.FAULT_LOG, `${server.logs()}\n===== worker\n${cluster.workers[0]!.logs()}`);
    // Why texts and status callbacks were spooled, and why a drain pass waited.
    const why = new Map<string, number>();
    for (const l of server.logLines()) {
      if (!/spooled|not drained yet/.test(String(l.msg))) continue;
      const k = `${l.msg}: ${String((l.err as { message?: string })?.message ?? '')
        .trim()
        .split('\n')
        .pop()!
        .slice(0, 120)}`;
      why.set(k, (why.get(k) ?? 0) + 1);
    }
    if (why.size) process.stdout.write(`[fault:server-kill] causes: ${[...why].map(([k, n]) => `${n}× ${k}`).join(' | ')}\n`);
    if (httpErrors.length) {
      const causes = new Set(
        server
          .logLines()
          .filter((l) => l.msg === 'request failed' || l.msg === 'request refused: store unavailable')
          .map((l) => `${l.route}: ${(l.err as { message?: string })?.message}`),
      );
      process.stdout.write(
        `[fault:server-kill] non-2xx: ${JSON.stringify(httpErrors.slice(0, 5).map((s) => [s.kind, s.status, s.at - killedAt]))} ` +
          `causes: ${[...causes].join(' | ')}\n`,
      );
    }

    expect(connErrors.length).toBeGreaterThan(0); // the kill did happen under load
    // While it runs, the server answers every webhook 2xx, even with the database saturated
    // (texts and status callbacks are spooled, calls get the fallback TwiML).
    expect(httpErrors).toEqual([]);
    expect(resent.length - resentOk.length).toBe(0); // sent again to the restarted server: all 2xx
    expect(lostSms).toEqual([]);
    expect(lostCalls).toEqual([]);
    expect(dupSms).toBe(0);
    expect(dupCalls).toBe(0);
    // A call the fallback answered is on record once its status callback got through, and ended.
    expect(fallbackUnrecorded.filter((s) => statusOk.has(s.sid))).toEqual([]);
    expect(callRows.filter((c) => statusOk.has(c.callSid) && c.status !== 'ended')).toEqual([]);
    // The restarted process needs nothing more: ready, and a new text is recorded directly.
    expect((await fetch(`${server.url}/readyz`)).status).toBe(200);
    const after = sid('SM');
    expect((await cluster.webhook(server, '/twilio/sms', smsForm(after, SENDERS[0]!, LINE, 'after'))).status).toBe(200);
    expect(await cluster.prisma.message.count({ where: { messageSid: after } })).toBe(1);
  });
});

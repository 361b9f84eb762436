// PostgreSQL unreachable for 30 s under a steady stream of inbound SMS and a call: the call
// reaches a person (fallback TwiML), every text answered 2xx is recorded once, in order, when the
// database is back, and the server needs no restart.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { faultDeployment, sid, smsForm } from '../helpers/fault-node.js';
import { TEST_DATABASE_URL } from '../helpers/env.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';
import { sleep, until } from '../helpers/telephony.js';

const LINE = '+74950000101';
const FALLBACK = '+74950009999';
const SENDERS = ['+79160000001', '+79160000002', '+79160000003', '+79160000004', '+79160000005'];

describe('PostgreSQL down for 30 s', () => {
  let dep: Awaited<ReturnType<typeof faultDeployment>>;
  let proxy: TcpProxy;
  let node: Awaited<ReturnType<typeof dep.start>>;

  beforeAll(async () => {
    dep = await faultDeployment();
    await dep.prisma.line.create({ data: { number: LINE, name: 'Fault line', fallbackNumber: FALLBACK } });
    const pgUrl = new URL(TEST_DATABASE_URL);
    proxy = await startTcpProxy(pgUrl.hostname, Number(pgUrl.port || 5432));
    node = await dep.start('server', { databaseUrl: proxy.url(dep.db.url), env: { TELEPHONY_FALLBACK_AFTER_MS: '1500' } });
  });
  afterAll(async () => {
    proxy?.restore();
    await dep?.close();
    await proxy?.close();
  });

  it('keeps every inbound SMS answered 2xx and records them in order; calls reach a person; no restart needed', async () => {
    const sent: { sid: string; from: string; seq: number; status: number }[] = [];
    let seq = 0;
    const sendFor = async (ms: number) => {
      const end = Date.now() + ms;
      const inflight: Promise<void>[] = [];
      while (Date.now() < end) {
        const n = seq++;
        const s = { sid: sid('SM'), from: SENDERS[n % SENDERS.length]!, seq: n, status: 0 };
        sent.push(s);
        inflight.push(
          node.webhook('/twilio/sms', smsForm(s.sid, s.from, LINE, `text ${n}`)).then(
            (r) => void (s.status = r.status),
            () => void (s.status = -1),
          ),
        );
        await sleep(125); // 8 texts a second
      }
      await Promise.all(inflight);
    };
    await sendFor(3_000);
    proxy.cut();
    const outageStart = Date.now();
    const call = node.webhook('/twilio/voice', {
      AccountSid: 'AC00000000000000000000000000000000',
      CallSid: sid('CA'),
      From: '+79160000009',
      To: LINE,
      CallStatus: 'ringing',
      Direction: 'inbound',
    });
    await sendFor(30_000 - (Date.now() - outageStart));
    const voice = await call;
    proxy.restore();
    await sendFor(3_000);

    const ok = sent.filter((s) => s.status >= 200 && s.status < 300);
    const recorded = await until(
      async () => {
        const rows = await dep.prisma.message.findMany({ where: { messageSid: { in: sent.map((s) => s.sid) } }, orderBy: { createdAt: 'asc' } });
        return rows.length >= ok.length ? rows : null;
      },
      60_000,
      500,
    );
    const spooled = (node.child.stdout() + node.child.stderr()).split('inbound SMS spooled').length - 1;
    const bySid = new Map(sent.map((s) => [s.sid, s]));
    const lost = ok.filter((s) => !recorded.some((r) => r.messageSid === s.sid)).length;
    // Figures for the report.
    process.stdout.write(
      `\n[fault:postgres-down] sms sent=${sent.length} 2xx=${ok.length} non-2xx=${sent.length - ok.length} ` +
        `spooled=${spooled} recorded=${recorded.length} lost=${lost}\n`,
    );

    expect(voice.status).toBe(200);
    expect(voice.text).toContain(FALLBACK);
    expect(ok.length).toBe(sent.length);
    expect(spooled).toBeGreaterThan(0);
    expect(lost).toBe(0);
    expect(new Set(recorded.map((r) => r.messageSid)).size).toBe(recorded.length);
    // In order: each sender's texts are stored in the order they were sent.
    for (const from of SENDERS) {
      const seqs = recorded
        .map((r) => bySid.get(r.messageSid!)!)
        .filter((s) => s.from === from)
        .map((s) => s.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    }
    // No restart: the same process records a new text directly and reports ready.
    const after = sid('SM');
    expect((await node.webhook('/twilio/sms', smsForm(after, SENDERS[0]!, LINE, 'after'))).status).toBe(200);
    expect(await dep.prisma.message.count({ where: { messageSid: after } })).toBe(1);
    expect((await fetch(`${node.url}/readyz`)).status).toBe(200);
  });
});

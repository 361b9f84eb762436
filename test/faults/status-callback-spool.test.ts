// A call the fallback TwiML answered while PostgreSQL was unreachable is recorded only from its
// status callback, and Twilio does not retry a status callback that got a 5xx: so the callback is
// spooled like an inbound SMS, answered 204, and recorded when the database answers again.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT_SID, faultDeployment, sid } from '../helpers/fault-node.js';
import { TEST_DATABASE_URL } from '../helpers/env.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';
import { sleep, until } from '../helpers/telephony.js';

const LINE = '+74950000401';
const FALLBACK = '+74950009996';

describe('a status callback while PostgreSQL is down', () => {
  let dep: Awaited<ReturnType<typeof faultDeployment>>;
  let proxy: TcpProxy;
  let node: Awaited<ReturnType<typeof dep.start>>;

  beforeAll(async () => {
    dep = await faultDeployment();
    await dep.prisma.line.create({ data: { number: LINE, name: 'Status line', fallbackNumber: FALLBACK } });
    const pgUrl = new URL(TEST_DATABASE_URL);
    proxy = await startTcpProxy(pgUrl.hostname, Number(pgUrl.port || 5432));
    node = await dep.start('server', { databaseUrl: proxy.url(dep.db.url), env: { TELEPHONY_FALLBACK_AFTER_MS: '1500' } });
    // The line cache is warm, as on a server that has taken calls before.
    expect(
      (
        await node.webhook('/twilio/voice', {
          AccountSid: ACCOUNT_SID,
          CallSid: sid('CA'),
          From: '+79160000041',
          To: LINE,
          CallStatus: 'ringing',
          Direction: 'inbound',
        })
      ).status,
    ).toBe(200);
  });
  afterAll(async () => {
    proxy?.restore();
    await dep?.close();
    await proxy?.close();
  });

  it('answers 204 and records the fallback call once the database is back', async () => {
    proxy.cut();
    const callSid = sid('CA');
    const call = { AccountSid: ACCOUNT_SID, CallSid: callSid, From: '+79160000042', To: LINE, Direction: 'inbound' };
    const voice = await node.webhook('/twilio/voice', { ...call, CallStatus: 'ringing' });
    expect(voice.status).toBe(200);
    expect(voice.text).toContain(FALLBACK);
    await sleep(1_000); // the caller talks to the duty number, then hangs up
    const status = await node.webhook('/twilio/voice/status', { ...call, CallStatus: 'completed', CallDuration: '1' });
    expect(status.status).toBe(204);
    // The log line is written before the answer, but the child's stdout pipe may reach this
    // process after the HTTP answer does: wait for it a moment.
    await until(async () => (node.child.stdout() + node.child.stderr()).includes('voice status spooled'), 2_000).catch(() => {});
    expect(node.child.stdout() + node.child.stderr()).toContain('voice status spooled');
    await sleep(2_000);
    proxy.restore();

    const row = await until(() => dep.prisma.call.findUnique({ where: { callSid } }), 30_000, 250);
    expect(row).toMatchObject({ status: 'ended', viaFallback: true, twilioStatus: 'completed' });
    // Replayed once: a second drain pass finds nothing more to do.
    await sleep(2_000);
    expect(await dep.prisma.call.count({ where: { callSid } })).toBe(1);
    expect((await fetch(`${node.url}/readyz`)).status).toBe(200);
  });
});

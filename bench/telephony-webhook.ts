// Telephony benchmark, in one run on one machine:
//  1. /twilio/voice (signature check, one PostgreSQL transaction recording the call, domain events,
//     the live-queue broadcast, greeting TwiML) against a bare Fastify route that only checks the
//     Twilio signature: throughput and latency at the same concurrency, with fresh CallSids.
//  2. The time from the IVR webhook that queues a call to the live-queue update reaching every one
//     of 200 connected operator sockets, and to the offer reaching the chosen operator.
// Real server, real workers, the machine's PostgreSQL and Redis (TEST_DATABASE_URL / TEST_REDIS_URL).
//   npm run bench:telephony -- [--requests 2000] [--concurrency 20] [--sockets 200] [--rounds 20]
import { loadavg } from 'node:os';
import { performance } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import formbody from '@fastify/formbody';
import Fastify from 'fastify';
import twilio from 'twilio';
import setup from '../test/helpers/global-setup.js';
import { freePort, startTestServer } from '../test/helpers/runtime.js';
import { closeAllSockets, nextEvent } from '../test/helpers/socket.js';
import { LINE_NUMBER, makeLine, simTarget, staffMember, type Staff } from '../test/helpers/telephony.js';
import { postWebhook, sid } from '../server/src/modules/telephony/twilio-sim.js';

const { values } = parseArgs({
  options: {
    requests: { type: 'string', default: '2000' },
    concurrency: { type: 'string', default: '20' },
    sockets: { type: 'string', default: '200' },
    rounds: { type: 'string', default: '20' },
  },
});
const REQUESTS = Number(values.requests);
const CONCURRENCY = Number(values.concurrency);
const SOCKETS = Number(values.sockets);
const ROUNDS = Number(values.rounds);

const pct = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
const summary = (ms: number[], wallMs: number) => {
  const s = [...ms].sort((a, b) => a - b);
  return {
    rps: Math.round((ms.length / wallMs) * 1000),
    p50: pct(s, 50).toFixed(2),
    p95: pct(s, 95).toFixed(2),
    p99: pct(s, 99).toFixed(2),
    max: s.at(-1)!.toFixed(2),
  };
};

/** A bounded loop of fetches on loopback: `concurrency` workers, pre-signed bodies. */
async function load(url: string, bodies: { body: string; headers: Record<string, string> }[]) {
  const latencies: number[] = [];
  let next = 0;
  let failures = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < bodies.length) {
        const b = bodies[next++]!;
        const t0 = performance.now();
        const res = await fetch(url, { method: 'POST', headers: b.headers, body: b.body });
        await res.arrayBuffer();
        latencies.push(performance.now() - t0);
        if (res.status !== 200) failures++;
      }
    }),
  );
  return { ...summary(latencies, performance.now() - started), failures };
}

const loadBefore = loadavg()
  .map((l) => l.toFixed(1))
  .join(' ');
const teardown = await setup();
const server = await startTestServer({ workers: true, env: { LOG_LEVEL: 'warn', TELEPHONY_OFFER_TIMEOUT_SECONDS: '300' } });
await makeLine(server);
const target = simTarget(server);

// The bare route: formbody + the same signature check, nothing else.
const bare = Fastify();
await bare.register(formbody);
bare.post('/twilio/voice', async (req, reply) => {
  const ok = twilio.validateRequest(
    target.authToken,
    String(req.headers['x-twilio-signature'] ?? ''),
    `${target.publicUrl}/twilio/voice`,
    req.body as Record<string, string>,
  );
  return ok ? reply.type('text/xml').send('<Response/>') : reply.status(403).send();
});
const barePort = await freePort();
await bare.listen({ port: barePort, host: '127.0.0.1' });

const makeBodies = (n: number) =>
  Array.from({ length: n }, (_, i) => {
    const params = {
      AccountSid: target.accountSid,
      ApiVersion: '2010-04-01',
      CallSid: sid('CA'),
      CallStatus: 'ringing',
      Direction: 'inbound',
      From: `+7916${String(i).padStart(7, '0')}`,
      To: LINE_NUMBER,
      FromCity: 'МОСКВА',
      FromCountry: 'RU',
      CallerCountry: 'RU',
    };
    return {
      body: new URLSearchParams(params).toString(),
      headers: {
        'content-type': 'application/x-www-form-urlencoded',
        'x-twilio-signature': twilio.getExpectedTwilioSignature(target.authToken, `${target.publicUrl}/twilio/voice`, params),
      },
    };
  });

// Warm-up, then the two runs back to back, each with its own fresh CallSids.
await load(`${server.url}/twilio/voice`, makeBodies(100));
await load(`http://127.0.0.1:${barePort}/twilio/voice`, makeBodies(100));
const voice = await load(`${server.url}/twilio/voice`, makeBodies(REQUESTS));
const bareRes = await load(`http://127.0.0.1:${barePort}/twilio/voice`, makeBodies(REQUESTS));
await bare.close();

// Fan-out: SOCKETS operators online and available; each round queues one call.
const staff: Staff[] = [];
for (let i = 0; i < SOCKETS; i += 20)
  staff.push(...(await Promise.all(Array.from({ length: Math.min(20, SOCKETS - i) }, () => staffMember(server, ['operator'], { available: true })))));
const allMs: number[] = [];
const offerMs: number[] = [];
for (let r = 0; r < ROUNDS; r++) {
  // The greeting first (not timed), then the IVR step that queues the call and offers it.
  const callSid = sid('CA');
  await postWebhook(target, '/twilio/voice', {
    AccountSid: target.accountSid,
    CallSid: callSid,
    From: `+7936${String(r).padStart(7, '0')}`,
    To: LINE_NUMBER,
    CallStatus: 'ringing',
  });
  const call = await server.services.infra.db.prisma.call.findUniqueOrThrow({ where: { callSid } });
  const t0 = performance.now();
  const everyone = Promise.all(
    staff.map((s) => nextEvent(s.socket, 'call:updated', (c) => c.id === call.id && c.status === 'queued', 10_000).then(() => performance.now() - t0)),
  );
  const offered = Promise.race(staff.map((s) => nextEvent(s.socket, 'call:offered', (o) => o.call.id === call.id, 10_000).then(() => performance.now() - t0)));
  await postWebhook(target, '/twilio/voice/ivr', {
    AccountSid: target.accountSid,
    CallSid: callSid,
    From: `+7936${String(r).padStart(7, '0')}`,
    To: LINE_NUMBER,
    CallStatus: 'in-progress',
    Digits: '',
  });
  const times = await everyone;
  allMs.push(Math.max(...times));
  offerMs.push(await offered);
}
const fan = summary(allMs, 1000);
const off = summary(offerMs, 1000);
closeAllSockets();
// Let the disconnect handlers (operators going offline) finish before the stores close.
await new Promise((r) => setTimeout(r, 2_000));
await server.close();
await teardown();

const lines = [
  `## Run of ${new Date().toISOString()}`,
  '',
  `Command: \`npm run bench:telephony -- --requests ${REQUESTS} --concurrency ${CONCURRENCY} --sockets ${SOCKETS} --rounds ${ROUNDS}\``,
  `Machine: load average before ${loadBefore} (2 cores shared with other work); PostgreSQL and Redis local.`,
  '',
  '| Route (same run, same concurrency, fresh CallSids) | req/s | p50 ms | p95 ms | p99 ms | max ms | non-200 |',
  '|---|---|---|---|---|---|---|',
  '| POST /twilio/voice (signature + call recorded + events + broadcast + TwiML) ' +
    `| ${voice.rps} | ${voice.p50} | ${voice.p95} | ${voice.p99} | ${voice.max} | ${voice.failures} |`,
  `| bare Fastify route, signature check only | ${bareRes.rps} | ${bareRes.p50} | ${bareRes.p95} | ${bareRes.p99} | ${bareRes.max} | ${bareRes.failures} |`,
  '',
  `Fan-out over ${ROUNDS} calls with ${SOCKETS} operator sockets connected and available, timed from the IVR webhook being sent:`,
  '',
  '| Measure | p50 ms | p95 ms | max ms |',
  '|---|---|---|---|',
  `| queue update (call:updated) reached all ${SOCKETS} sockets | ${fan.p50} | ${fan.p95} | ${fan.max} |`,
  `| offer (call:offered) reached the chosen operator | ${off.p50} | ${off.p95} | ${off.max} |`,
  '',
];
process.stdout.write(`${lines.join('\n')}\n`);
process.exit(0);

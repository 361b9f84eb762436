// Dispatch benchmark: from the request (POST /api/dispatches) to the provider's SMS job
// completing (telephony's 'sms.send' job has handed the offer SMS to the Twilio stand-in, i.e. the
// Message has its MessageSid), at a fixed arrival rate. Runs the real server with its real BullMQ
// workers on a fresh database copied from a freshly migrated and seeded template (the demo
// directory), against the machine's PostgreSQL and Redis (TEST_DATABASE_URL / TEST_REDIS_URL).
//   npx tsx bench/dispatch.ts [--rate 100] [--seconds 10]
import { loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import setup from '../test/helpers/global-setup.js';
import { signedIn } from '../test/helpers/http.js';
import { startTestServer } from '../test/helpers/runtime.js';
import { makeLine } from '../test/helpers/telephony.js';

const { values } = parseArgs({ options: { rate: { type: 'string', default: '100' }, seconds: { type: 'string', default: '10' } } });
const rate = Number(values.rate);
const seconds = Number(values.seconds);
const total = rate * seconds;

const loadBefore = loadavg()
  .map((l) => l.toFixed(1))
  .join(' ');
const teardown = await setup();
const server = await startTestServer({ workers: true, env: { LOG_LEVEL: 'warn', DISPATCH_ACK_NOW_SECONDS: '3600' } });
await makeLine(server);
const { client } = await signedIn(server.url, server.services, ['coordinator']);
const prisma = server.services.infra.db.prisma;
const kinds = ['food', 'clothing', 'accommodation', 'legal', 'psychological'] as const;
const districts = ['Кировский район', 'Советский район'];

const startedAt = new Map<string, number>();
const errors: string[] = [];
const sendStart = Date.now();
const inflight: Promise<void>[] = [];
for (let i = 0; i < total; i++) {
  const due = sendStart + (i * 1000) / rate;
  const wait = due - Date.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  const t0 = Date.now();
  inflight.push(
    client
      .post('/api/dispatches', { referral: 'bench', kind: kinds[i % kinds.length], district: districts[i % 2], urgency: 'now', childrenInvolved: i % 3 === 0 })
      .then(
        (res) => {
          if (res.status === 201) startedAt.set(res.body.id, t0);
          else errors.push(`${res.status} ${res.body?.code ?? ''}`);
        },
        (err: Error) => void errors.push(err.message),
      ),
  );
}
await Promise.all(inflight);
const sendSeconds = (Date.now() - sendStart) / 1000;

// Wait until every offer SMS has been handed to the stand-in (or 60 s).
const ids = [...startedAt.keys()];
const deadline = Date.now() + 60_000;
let rows: { dispatchId: string; doneAt: Date }[] = [];
while (Date.now() < deadline) {
  const offers = await prisma.dispatchOffer.findMany({ where: { dispatchId: { in: ids }, rank: 1 }, select: { id: true, dispatchId: true } });
  const msgs = await prisma.message.findMany({
    where: { purpose: 'dispatch.offer', refId: { in: offers.map((o) => o.id) }, messageSid: { not: null } },
    select: { refId: true, updatedAt: true },
  });
  const byOffer = new Map(offers.map((o) => [o.id, o.dispatchId]));
  rows = msgs.map((m) => ({ dispatchId: byOffer.get(m.refId!)!, doneAt: m.updatedAt }));
  if (rows.length >= offers.length && offers.length === ids.length) break;
  await new Promise((r) => setTimeout(r, 250));
}
const latencies = rows.map((r) => r.doneAt.getTime() - startedAt.get(r.dispatchId)!).sort((a, b) => a - b);
const pct = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] ?? NaN;
const lastDone = Math.max(...rows.map((r) => r.doneAt.getTime()));
// Where the time goes: request → committed, committed → SMS handed to telephony (our job), → sent (theirs).
const stage = async () => {
  const events = await prisma.dispatchEvent.findMany({
    where: { dispatchId: { in: ids }, type: { in: ['requested', 'sms_queued'] } },
    select: { dispatchId: true, type: true, at: true },
  });
  const at = (id: string, type: string) => events.find((e) => e.dispatchId === id && e.type === type)?.at.getTime();
  const med = (xs: number[]) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
  const commit: number[] = [];
  const queued: number[] = [];
  const sent: number[] = [];
  for (const r of rows) {
    const req = at(r.dispatchId, 'requested');
    const q = at(r.dispatchId, 'sms_queued');
    if (req === undefined || q === undefined) continue;
    commit.push(req - startedAt.get(r.dispatchId)!);
    queued.push(q - req);
    sent.push(r.doneAt.getTime() - q);
  }
  return (
    `median stages (ms): request → committed ${med(commit)}; committed → offer SMS job done (handed to telephony) ${med(queued)}; ` +
    `→ telephony's sms.send job done ${med(sent)}`
  );
};
const stages = await stage();
const dupes = await prisma.message.groupBy({ by: ['refId'], where: { purpose: 'dispatch.offer' }, _count: true, having: { refId: { _count: { gt: 1 } } } });

const lines = [
  `load average before: ${loadBefore}; after: ${loadavg()
    .map((l) => l.toFixed(1))
    .join(' ')} (2 cores shared with other work)`,
  `requests: ${total} at ${rate}/s (sent in ${sendSeconds.toFixed(1)} s); accepted 201: ${ids.length}; ` +
    `errors: ${errors.length}${errors.length ? ` (${[...new Set(errors)].join(', ')})` : ''}`,
  `offer SMS handed to the Twilio stand-in: ${rows.length}/${ids.length}; duplicates: ${dupes.length}`,
  `request → SMS job complete (ms): p50 ${pct(0.5)}, p90 ${pct(0.9)}, p99 ${pct(0.99)}, max ${latencies.at(-1)}`,
  stages,
  `throughput: ${(rows.length / ((lastDone - sendStart) / 1000)).toFixed(1)} SMS/s end to end`,
];
process.stdout.write(`${lines.join('\n')}\n`);
await server.close();
await teardown();
process.exit(0);

// Wallboard fan-out benchmark: the time from a domain event (telephony's 'call.queued', emitted
// after its commit) to the `wallboard:changed` delta arriving at each of 200 subscribed wallboard
// sockets. The server, Redis adapter and the 200 socket.io clients run in this one process on
// this machine, so the figures include the clients' own CPU share.
//   DATABASE_URL=postgresql://… REDIS_URL=redis://127.0.0.1:6379 npx tsx bench/wallboard-latency.ts [--sockets 200] [--events 100]
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { io as connect, type Socket } from 'socket.io-client';
import { buildApp } from '../server/src/app.js';
import { createRuntime } from '../server/src/bootstrap.js';
import { loadConfigOrExit } from '../server/src/config.js';
import { newSecret } from '../server/src/crypto/tokens.js';
import { SESSION_COOKIE } from '../server/src/plugins/session.js';

const { values } = parseArgs({ options: { sockets: { type: 'string', default: '200' }, events: { type: 'string', default: '100' } } });
const SOCKETS = Number(values.sockets);
const EVENTS = Number(values.events);

const config = loadConfigOrExit({
  ...process.env,
  PORT: process.env.PORT ?? '0',
  REDIS_PREFIX: `bench${Date.now().toString(36)}`,
  LOG_LEVEL: 'error',
  MIGRATE_ON_START: 'true',
});
const runtime = await createRuntime(config, pino({ level: 'fatal' }));
const app = await buildApp({ services: runtime.services });
await app.listen({ port: 0, host: '127.0.0.1' });
const url = `http://127.0.0.1:${(app.server.address() as { port: number }).port}`;
const prisma = runtime.services.infra.db.prisma;

// Supervisors with sessions written straight to the database (sign-in is rate-limited per IP).
const sockets: Socket[] = [];
for (let i = 0; i < SOCKETS; i++) {
  const user = await prisma.user.create({
    data: { username: `wbbench${Date.now().toString(36)}${i}`, displayName: `Bench ${i}`, passwordHash: 'x', roles: ['supervisor'] },
  });
  const { secret, id } = newSecret();
  await prisma.session.create({ data: { id, userId: user.id, expiresAt: new Date(Date.now() + 3_600_000) } });
  const s = connect(url, { transports: ['websocket'], extraHeaders: { cookie: `${SESSION_COOKIE}=${secret}` }, reconnection: false, forceNew: true });
  await new Promise<void>((resolve, reject) => {
    s.once('connect', () => s.emit('wallboard:subscribe', {}, () => resolve()));
    s.once('connect_error', reject);
  });
  sockets.push(s);
}
await runtime.services.wallboard.reset();

const perSocket: number[] = [];
const perEvent: number[] = [];
for (let e = 0; e < EVENTS; e++) {
  const callId = randomUUID();
  const arrived = sockets.map(
    (s) =>
      new Promise<number>((resolve) => {
        const on = (d: { calls?: { waitingCalls: { callId: string }[] } }) => {
          if (!d.calls?.waitingCalls.some((c) => c.callId === callId)) return;
          s.off('wallboard:changed', on);
          resolve(performance.now());
        };
        s.on('wallboard:changed', on);
      }),
  );
  const t0 = performance.now();
  await runtime.services.events.emitAfter('call.queued' as never, { callId, lineId: null, priority: 'normal', queuedAt: new Date() } as never);
  const times = (await Promise.all(arrived)).map((t) => t - t0);
  perSocket.push(...times);
  perEvent.push(Math.max(...times));
  await new Promise((r) => setTimeout(r, 20));
}

const pct = (xs: number[], q: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))]!;
const row = (name: string, xs: number[]) =>
  `| ${name} | ${pct(xs, 0.5).toFixed(1)} | ${pct(xs, 0.95).toFixed(1)} | ${pct(xs, 0.99).toFixed(1)} | ${Math.max(...xs).toFixed(1)} |`;
console.log(`sockets: ${SOCKETS}; events: ${EVENTS}; database: ${runtime.services.infra.db.kind}`);
console.log('| measure | p50 ms | p95 ms | p99 ms | max ms |\n|---|---|---|---|---|');
console.log(row('event → delta at one socket', perSocket));
console.log(row('event → delta at the last of all sockets', perEvent));

for (const s of sockets) s.close();
await runtime.services.wallboard.reset();
await app.close();
await runtime.close();
process.exit(0);

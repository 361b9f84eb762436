// Invariant 1: a call is never dropped by our failure. With Redis or PostgreSQL unreachable, the
// voice webhook still answers TwiML that reaches a person, and the call is recorded afterwards.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, startTestServer, type TestServer } from '../helpers/runtime.js';
import { TEST_DATABASE_URL } from '../helpers/env.js';
import { callerFor, freshCaller, LINE_NUMBER, makeLine, sleep, standInOf, until } from '../helpers/telephony.js';

const FALLBACK = '+74950009999';

function startRedis(port: number, dir: string): Promise<ChildProcess> {
  const proc = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir], { stdio: 'ignore' });
  return new Promise((resolve, reject) => {
    proc.once('error', reject);
    setTimeout(() => resolve(proc), 300);
  });
}
const stopped = (p: ChildProcess) => new Promise<void>((r) => (p.exitCode !== null ? r() : (p.once('exit', () => r()), p.kill('SIGKILL'))));

async function admin(sql: string) {
  const c = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}

describe('never drop a call', () => {
  let server: TestServer;
  let redis: ChildProcess;
  let port: number;
  let dir: string;

  beforeAll(async () => {
    port = await freePort();
    dir = mkdtempSync(join(tmpdir(), 'tl-redis-'));
    redis = await startRedis(port, dir);
    server = await startTestServer({ workers: false, redisUrl: `redis://127.0.0.1:${port}`, env: { TELEPHONY_FALLBACK_AFTER_MS: '1500' } });
    await makeLine(server, LINE_NUMBER, { fallbackNumber: FALLBACK });
  }, 60_000);
  afterAll(async () => {
    if (redis.exitCode !== null) redis = await startRedis(port, dir);
    await server?.close();
    await stopped(redis);
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers with the fallback number while Redis is down, and records the call from its status callback', async () => {
    await stopped(redis);
    await sleep(100);
    const caller = freshCaller(server);
    const res = await caller.placeCall({ from: '+79167770001', to: LINE_NUMBER, digits: '' });
    expect(res.status).toBe(200);
    expect(res.twiml).toContain(`<Dial timeout="60">${FALLBACK}</Dial>`);
    // The duty operator talks to the caller; when the call ends, Twilio's callback records it.
    await caller.hangup(res.callSid);
    const call = await server.services.infra.db.prisma.call.findUniqueOrThrow({ where: { callSid: res.callSid } });
    expect(call).toMatchObject({ viaFallback: true, status: 'ended', endReason: 'fallback', twilioStatus: 'completed' });
    expect(call.callerHash).toBe(server.services.phones.hash('+79167770001'));
    redis = await startRedis(port, dir);
  });

  it('answers with the fallback number while PostgreSQL is unreachable, and records the call when it is back', async () => {
    const dbName = new URL(server.config.database.kind === 'postgres' ? server.config.database.url : '').pathname.slice(1);
    await until(async () => server.services.infra.redis.status === 'ready', 5_000);
    await admin(`ALTER DATABASE "${dbName}" ALLOW_CONNECTIONS false`);
    await admin(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '${dbName}'`);
    try {
      const caller = freshCaller(server);
      const started = Date.now();
      const res = await caller.placeCall({ from: '+79167770002', to: LINE_NUMBER, digits: '' });
      expect(res.status).toBe(200);
      expect(res.twiml).toContain(`<Dial timeout="60">${FALLBACK}</Dial>`);
      expect(Date.now() - started).toBeLessThan(10_000); // well inside Twilio's 15 s webhook timeout
      await admin(`ALTER DATABASE "${dbName}" ALLOW_CONNECTIONS true`);
      await caller.hangup(res.callSid);
      const call = await until(() => server.services.infra.db.prisma.call.findUnique({ where: { callSid: res.callSid } }), 5_000);
      expect(call).toMatchObject({ viaFallback: true, status: 'ended' });
    } finally {
      await admin(`ALTER DATABASE "${dbName}" ALLOW_CONNECTIONS true`);
    }
  });

  it('parks the caller in a Twilio-native queue when the line has no duty number, and brings them back once the stores answer', async () => {
    const NO_DUTY = '+74950000002';
    await makeLine(server, NO_DUTY);
    await until(async () => server.services.infra.redis.status === 'ready', 5_000);
    await server.services.lines.refresh();
    await stopped(redis);
    await sleep(100);
    const caller = callerFor(server);
    const res = await caller.placeCall({ from: '+79167770003', to: NO_DUTY, digits: '' });
    expect(res.twiml).toContain('<Enqueue');
    expect(res.twiml).toContain('trustline-fallback');
    expect(await server.services.infra.db.prisma.call.count({ where: { callSid: res.callSid } })).toBe(0);
    redis = await startRedis(port, dir);
    await until(async () => server.services.infra.redis.status === 'ready', 10_000);
    // The reconcile schedule (run here directly) redirects parked callers to /twilio/voice.
    const result = await server.services.telephony.reconcile();
    expect(result.rescued).toBe(1);
    await standInOf(server).settle();
    const call = await server.services.infra.db.prisma.call.findUniqueOrThrow({ where: { callSid: res.callSid } });
    expect(call).toMatchObject({ status: 'received', viaFallback: false });
    expect(caller.calls.get(res.callSid)!.twiml.at(-1)).toContain('<Gather');
    await caller.hangup(res.callSid);
  });
});

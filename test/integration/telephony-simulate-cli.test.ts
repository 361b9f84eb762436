import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, TEST_APP_SECRET, type TestServer } from '../helpers/runtime.js';
import { LINE_NUMBER, makeLine } from '../helpers/telephony.js';

const run = promisify(execFile);
let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ workers: true });
  await makeLine(server);
}, 60_000);
afterAll(async () => {
  await server?.close();
});

const simulate = (...args: string[]) =>
  run('npx', ['tsx', 'server/src/cli/simulate.ts', ...args], {
    env: {
      ...process.env,
      PUBLIC_URL: server.config.publicUrl,
      TWILIO_AUTH_TOKEN: server.config.telephony.authToken,
      APP_SECRET: TEST_APP_SECRET,
      DATA_DIR: server.config.dataDir,
      LOG_LEVEL: 'silent',
    },
    timeout: 30_000,
  });
const lines = (stdout: string) =>
  stdout
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l));

describe('npm run simulate', () => {
  it('places a signed call that presses 1, then an SMS, which the server records', async () => {
    const call = lines((await simulate('call', '--from', '+79165550001', '--to', LINE_NUMBER, '--digits', '1', '--hangup-after', '0')).stdout);
    expect(call[0]).toMatchObject({ event: 'call', status: 200, queued: true });
    const row = await server.services.infra.db.prisma.call.findUniqueOrThrow({ where: { callSid: call[0].callSid } });
    expect(row).toMatchObject({ priority: 'urgent', status: 'ended', abandoned: true });
    const sms = lines((await simulate('sms', '--from', '+79165550001', '--to', LINE_NUMBER, '--body', 'Привет 👋')).stdout);
    expect(sms[0]).toMatchObject({ event: 'sms', status: 200 });
    expect((await server.services.infra.db.prisma.message.findUniqueOrThrow({ where: { messageSid: sms[0].messageSid } })).body).toBe('Привет 👋');
  });

  it('sends a burst of calls', async () => {
    const out = lines((await simulate('burst', '--calls', '5', '--to', LINE_NUMBER, '--hangup-after', '0')).stdout);
    expect(out.filter((o) => o.event === 'call' && o.status === 200)).toHaveLength(5);
    expect(out.at(-1)).toMatchObject({ event: 'burst-done', calls: 5 });
  });
});

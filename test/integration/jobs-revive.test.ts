// Jobs that spent their attempts while a cause was present (here: no line to send SMS from) are
// retried once it has gone; jobs a handler refused as unrecoverable are not; a job that keeps
// failing is given up after MAX_REVIVALS, with one error in the log.
import { randomUUID } from 'node:crypto';
import type { Queue } from 'bullmq';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MAX_REVIVALS, REVIVE_AFTER_MS, reviveFailedJobs } from '../../server/src/jobs/revive.js';
import { startTestServer, type TestServer } from '../helpers/runtime.js';
import { makeLine, until } from '../helpers/telephony.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ workers: true });
}, 60_000);
afterAll(async () => server?.close());

const state = async (queue: Queue, id: string) => (await queue.getJob(id))?.getState();

it('retries a job whose attempts ran out while there was no line, once a line exists; leaves unrecoverable ones', async () => {
  const { queues, redis, config, log, db } = server.services.infra;
  const telephony = queues.telephony as unknown as Queue;
  const revive = (later = REVIVE_AFTER_MS + 1_000) => reviveFailedJobs({ queues, redis, prefix: config.redisPrefix, log, now: Date.now() + later });

  const { messageId } = await server.services.transaction((tx) =>
    server.services.sms.sendToNumber({ toPhone: '+79165550001', body: 'Ваш запрос принят', purpose: 'dispatch.recipient' }, tx),
  );
  await telephony.add('sms.send', { messageId }, { jobId: `sms-send-${messageId}`, attempts: 1 });
  // A message that does not exist: the handler refuses it as unrecoverable, on its first attempt of five.
  const ghost = `sms-send-${randomUUID()}`;
  await telephony.add('sms.send', { messageId: randomUUID() }, { jobId: ghost });
  await until(async () => (await state(telephony, `sms-send-${messageId}`)) === 'failed' && (await state(telephony, ghost)) === 'failed', 10_000);

  // Too fresh a failure is left alone.
  expect((await revive(0)).revived).toBe(0);
  await makeLine(server);
  const result = await revive();
  expect(result.revived).toBe(1);
  const sent = await until(async () => (await db.prisma.message.findUniqueOrThrow({ where: { id: messageId } })).messageSid, 10_000);
  expect(sent).toMatch(/^SM/);
  expect(await state(telephony, ghost)).toBe('failed');
}, 60_000);

it('gives a job up after the last revival', async () => {
  const { queues, redis, config, log } = server.services.infra;
  const telephony = queues.telephony as unknown as Queue;
  const id = `sms-send-hopeless-${randomUUID()}`;
  // Fails every time without being unrecoverable: its message id is not a UUID, so the database refuses the read.
  await telephony.add('sms.send', { messageId: 'not-a-uuid' }, { jobId: id, attempts: 1 });
  await until(async () => (await state(telephony, id)) === 'failed', 10_000);
  let revivals = 0;
  for (let i = 0; i < MAX_REVIVALS + 2; i++) {
    revivals += (await reviveFailedJobs({ queues, redis, prefix: config.redisPrefix, log, now: Date.now() + REVIVE_AFTER_MS * 2 })).revived;
    await until(async () => (await state(telephony, id)) === 'failed', 10_000);
  }
  expect(revivals).toBeLessThanOrEqual(MAX_REVIVALS);
  expect(revivals).toBeGreaterThan(0);
}, 120_000);

// A text that cannot leave (no line to send from) is not lost: it stays pending, supervisors see
// it without its number or words, and once a line exists the reconcile step sends it — even though
// its first job has failed and BullMQ still holds that job's id.
import type { Queue } from 'bullmq';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { signedIn } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/runtime.js';
import { makeLine, until } from '../helpers/telephony.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ workers: true });
}, 60_000);
afterAll(async () => server?.close());

const PHONE = '+79161112233';
const BODY = 'Нужна помощь продуктами, код 4821';

it('keeps a message with no sender pending, shows it to supervisors, and sends it once a line exists', async () => {
  const prisma = server.services.infra.db.prisma;
  const queue = server.services.infra.queues.telephony as unknown as Queue;
  // Written inside a caller's transaction (as dispatch does), then its job added by hand with a
  // single attempt, so that it fails at once, as a job does after its retries are spent.
  const { messageId } = await server.services.transaction((tx) =>
    server.services.sms.sendToNumber({ toPhone: PHONE, body: BODY, purpose: 'dispatch.offer', refId: 'offer-1' }, tx),
  );
  const jobId = `sms-send-${messageId}`;
  await queue.add('sms.send', { messageId }, { jobId, attempts: 1 });
  await until(async () => (await (await queue.getJob(jobId))?.getState()) === 'failed', 10_000);
  expect((await prisma.message.findUniqueOrThrow({ where: { id: messageId } })).status).toBe('pending');

  // Older than the two minutes after which supervisors are shown it.
  await prisma.message.update({ where: { id: messageId }, data: { createdAt: new Date(Date.now() - 5 * 60_000) } });
  const { client: supervisor } = await signedIn(server.url, server.services, ['supervisor']);
  const stuck = await supervisor.get('/api/telephony/messages/stuck');
  expect(stuck.status).toBe(200);
  expect(stuck.body.total).toBe(1);
  expect(stuck.body.messages[0]).toMatchObject({ id: messageId, purpose: 'dispatch.offer', handoverAt: null, lineName: null });
  expect(stuck.text).not.toContain(PHONE.slice(2));
  expect(stuck.text).not.toContain('4821');
  const { client: operator } = await signedIn(server.url, server.services, ['operator']);
  expect((await operator.get('/api/telephony/messages/stuck')).status).toBe(403);

  // A line is added; the reconcile schedule queues the message again under the same id.
  await makeLine(server);
  const result = await server.services.telephony.reconcile();
  expect(result.requeued).toBe(1);
  const sent = await until(async () => {
    const m = await prisma.message.findUniqueOrThrow({ where: { id: messageId } });
    return m.messageSid ? m : null;
  }, 15_000);
  expect(sent.handoverAt).not.toBeNull();
  const toTwilio = server.services.telephony.gateway.standIn!.requests.filter(
    (r) => r.path === '/Messages.json' && r.method === 'POST' && r.data.Body === BODY,
  );
  expect(toTwilio).toHaveLength(1);
  expect((await supervisor.get('/api/telephony/messages/stuck')).body.total).toBe(0);
  // A second reconcile finds nothing to do.
  expect((await server.services.telephony.reconcile()).requeued).toBe(0);
}, 60_000);

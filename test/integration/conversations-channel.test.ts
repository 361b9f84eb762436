// Conversations are channel-agnostic: a thread, its messages and its contact record the channel
// the adapter gives, and a message of a channel with no adapter is refused before anything is
// written (a webchat or Telegram adapter plugs in beside sms/, docs/telephony.md).
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/runtime.js';
import { makeLine, until } from '../helpers/telephony.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
}, 60_000);
afterAll(async () => server?.close());

const inbound = (channel: string, externalId: string, to: string) => ({
  channel,
  externalId,
  from: '+79160007001',
  to,
  body: 'Здравствуйте, можно написать?',
  numMedia: 0,
  mediaUrls: [],
  mediaTypes: [],
  segments: null,
});

it('records the channel on the thread, its messages and its contact', async () => {
  const prisma = server.services.infra.db.prisma;
  const line = await makeLine(server);
  const r = await server.services.conversations.inbound(inbound('sms', 'SMchannel0000000000000000000001', line.number));
  expect(r).toMatchObject({ duplicate: false });
  const conversationId = (r as { conversationId: string }).conversationId;
  expect(await prisma.conversation.findUniqueOrThrow({ where: { id: conversationId } })).toMatchObject({ channel: 'sms' });
  expect(await prisma.message.findMany({ where: { conversationId }, select: { channel: true } })).toEqual([{ channel: 'sms' }]);
  const contact = await until(() => prisma.contact.findFirst({ where: { conversationId } }));
  expect(contact.channel).toBe('sms');
});

it('refuses a message of a channel it has no adapter for, and writes nothing', async () => {
  const prisma = server.services.infra.db.prisma;
  const before = { messages: await prisma.message.count(), threads: await prisma.conversation.count() };
  await expect(server.services.conversations.inbound(inbound('webchat', 'WCchannel0000000000000000000001', '+70000000000'))).rejects.toThrow(
    'no adapter for the channel webchat',
  );
  expect({ messages: await prisma.message.count(), threads: await prisma.conversation.count() }).toEqual(before);
});

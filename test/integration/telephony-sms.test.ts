import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationSummary, MessageSummary } from '@trustline/shared';
import { startTestServer, type TestServer } from '../helpers/runtime.js';
import { closeAllSockets, nextEvent } from '../helpers/socket.js';
import { callerFor, LINE_NUMBER, makeLine, staffMember, standInOf, until, webhook } from '../helpers/telephony.js';

let server: TestServer;
const claimed: string[] = [];
beforeAll(async () => {
  server = await startTestServer({ workers: true });
  await makeLine(server);
  // Another feature (dispatch) claims replies like "ДА 123" through the inbound seam.
  server.services.sms.interceptInbound('dispatch-test', async (sms) => {
    if (!/^ДА \d+$/.test(sms.body.trim())) return false;
    claimed.push(sms.messageId);
    return true;
  });
}, 60_000);
afterAll(async () => {
  closeAllSockets();
  await server?.close();
});

const prisma = () => server.services.infra.db.prisma;
let seq = 500;
const nextPhone = () => `+7926${String(seq++).padStart(7, '0')}`;

describe('SMS conversations', () => {
  it('threads messages from one sender, replies through the job, and shows delivery states live', async () => {
    const op = await staffMember(server, ['operator']);
    const from = nextPhone();
    const caller = callerFor(server);
    // A waiting thread reaches the queue as counts and times; its texts come once it is taken.
    const first = nextEvent(op.socket, 'conversation:updated', (c) => c.messageCount === 1);
    await caller.sendSms({ from, to: LINE_NUMBER, body: 'Здравствуйте, мне нужна помощь' });
    const waiting = (await first) as ConversationSummary;
    await caller.sendSms({ from, to: LINE_NUMBER, body: 'Вы здесь?' });
    const conv = await prisma().conversation.findUniqueOrThrow({ where: { id: waiting.id } });
    await until(async () => (await prisma().message.count({ where: { conversationId: conv.id } })) === 2);

    expect((await op.cmd('conversation:accept', { conversationId: conv.id })).ok).toBe(true);
    const thread = await op.cmd<MessageSummary[]>('conversation:messages', { conversationId: conv.id });
    expect(thread.data!.map((m) => m.body)).toEqual(['Здравствуйте, мне нужна помощь', 'Вы здесь?']);
    const delivered = nextEvent(op.socket, 'message:status', (s) => s.status === 'delivered', 5_000);
    const reply = await op.cmd<MessageSummary>('conversation:reply', { conversationId: conv.id, body: 'Да, я здесь. Расскажите, что случилось?' });
    expect(reply.ok).toBe(true);
    expect(reply.data!).toMatchObject({ direction: 'outbound', status: 'pending', encoding: 'UCS-2', segments: 1 });
    await delivered;
    const out = await prisma().message.findUniqueOrThrow({ where: { id: reply.data!.id } });
    expect(out.status).toBe('delivered');
    expect(out.messageSid).toMatch(/^SM/);
    // Twilio got the real number, the body and our status callback URL.
    const sent = standInOf(server).requests.find((r) => r.path === '/Messages.json' && r.data.Body?.startsWith('Да, я здесь'))!;
    expect(sent.data).toMatchObject({ To: from, From: LINE_NUMBER, StatusCallback: `${server.config.publicUrl}/twilio/sms/status?m=${out.id}` });
  });

  it('keeps a delivered message delivered when a late "sent" callback arrives', async () => {
    const { messageId } = await server.services.sms.sendToNumber({ toPhone: nextPhone(), body: 'Test', purpose: 'test' });
    await until(async () => (await prisma().message.findUniqueOrThrow({ where: { id: messageId } })).status === 'delivered');
    await standInOf(server).settle();
    const m = await prisma().message.findUniqueOrThrow({ where: { id: messageId } });
    const res = await webhook(server, `/twilio/sms/status?m=${messageId}`, {
      MessageSid: m.messageSid!,
      MessageStatus: 'sent',
      AccountSid: server.config.telephony.accountSid,
    });
    expect(res.status).toBe(204);
    expect((await prisma().message.findUniqueOrThrow({ where: { id: messageId } })).status).toBe('delivered');
  });

  it('never texts someone who sent STOP, and START lets them be texted again', async () => {
    const from = nextPhone();
    const caller = callerFor(server);
    await caller.sendSms({ from, to: LINE_NUMBER, body: 'STOP' });
    await expect(server.services.sms.sendToNumber({ toPhone: from, body: 'Are you safe?', purpose: 'test' })).rejects.toMatchObject({ code: 'SMS_OPTED_OUT' });
    const conv = await prisma().conversation.findFirstOrThrow({ where: { peerHash: server.services.phones.hash(from) } });
    const op = await staffMember(server, ['operator']);
    const refused = await op.cmd('conversation:reply', { conversationId: conv.id, body: 'Hello?' });
    expect(refused).toMatchObject({ ok: false, code: 'SMS_OPTED_OUT' });
    expect(await prisma().message.count({ where: { peerHash: server.services.phones.hash(from), direction: 'outbound' } })).toBe(0);
    await caller.sendSms({ from, to: LINE_NUMBER, body: 'START' });
    await expect(server.services.sms.sendToNumber({ toPhone: from, body: 'Welcome back', purpose: 'test' })).resolves.toHaveProperty('messageId');
  });

  it("treats Twilio's 21610 as opted out: the message fails and the number is blocked", async () => {
    const to = nextPhone();
    standInOf(server).optedOut.add(to);
    const { messageId } = await server.services.sms.sendToNumber({ toPhone: to, body: 'Hello', purpose: 'test' });
    await until(async () => (await prisma().message.findUniqueOrThrow({ where: { id: messageId } })).status === 'failed');
    const m = await prisma().message.findUniqueOrThrow({ where: { id: messageId } });
    expect(m.errorCode).toBe(21610);
    expect(await prisma().optOut.count({ where: { peerHash: server.services.phones.hash(to) } })).toBe(1);
    await expect(server.services.sms.sendToNumber({ toPhone: to, body: 'Again', purpose: 'test' })).rejects.toMatchObject({ code: 'SMS_OPTED_OUT' });
  });

  it('lets another feature claim an inbound SMS: no conversation is opened', async () => {
    const from = nextPhone();
    const { messageSid } = await callerFor(server).sendSms({ from, to: LINE_NUMBER, body: 'ДА 123' });
    const m = await prisma().message.findUniqueOrThrow({ where: { messageSid } });
    expect(m.claimedBy).toBe('dispatch-test');
    expect(m.conversationId).toBeNull();
    expect(claimed).toContain(m.id);
  });

  it('closes a conversation by the operator, and a new message opens a new one', async () => {
    const from = nextPhone();
    const caller = callerFor(server);
    await caller.sendSms({ from, to: LINE_NUMBER, body: 'один' });
    const hash = server.services.phones.hash(from);
    const c1 = await prisma().conversation.findFirstOrThrow({ where: { peerHash: hash } });
    const op = await staffMember(server, ['operator']);
    expect((await op.cmd<{ status: string }>('conversation:close', { conversationId: c1.id })).data!.status).toBe('closed');
    await caller.sendSms({ from, to: LINE_NUMBER, body: 'два' });
    const all = await prisma().conversation.findMany({ where: { peerHash: hash }, orderBy: { openedAt: 'asc' } });
    expect(all.map((c) => c.status)).toEqual(['closed', 'open']);
  });
});

describe('conversation offers', () => {
  it('rings a new thread for the longest-idle available operator; a decline moves it on; accepting takes it', async () => {
    // Earlier tests' threads would ring first; this test starts with none waiting.
    await prisma().conversation.updateMany({ where: { status: 'open' }, data: { status: 'closed' } });
    const first = await staffMember(server, ['operator'], { available: true });
    const second = await staffMember(server, ['operator'], { available: true });
    const ringFirst = nextEvent(first.socket, 'conversation:offered');
    await callerFor(server).sendSms({ from: nextPhone(), to: LINE_NUMBER, body: 'Мне плохо' });
    const offer = await ringFirst;
    expect(offer.conversation.offeredTo).toBe(first.user.id);
    const ringSecond = nextEvent(second.socket, 'conversation:offered', (o) => o.conversation.id === offer.conversation.id);
    expect((await first.cmd('conversation:decline', { conversationId: offer.conversation.id })).ok).toBe(true);
    await ringSecond;
    const taken = await second.cmd<{ operatorId: string; offeredTo: string | null }>('conversation:accept', { conversationId: offer.conversation.id });
    expect(taken.data).toMatchObject({ operatorId: second.user.id, offeredTo: null });
    expect((await first.cmd('conversation:accept', { conversationId: offer.conversation.id })).code).toBe('CONVERSATION_ALREADY_TAKEN');
    first.socket.close();
    second.socket.close();
  });
});

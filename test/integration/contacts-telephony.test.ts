// Contacts wired to telephony's domain events: a call or SMS thread recorded through the signed
// Twilio webhooks opens its draft contact in the same transaction (once, linked to the caller by
// the phone hash); the operator who takes it gets the draft and their console is told.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../helpers/runtime.js';
import { closeAllSockets, nextEvent } from '../helpers/socket.js';
import { callerFor, LINE_NUMBER, makeLine, staffMember } from '../helpers/telephony.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ workers: true });
  await makeLine(server);
});
afterAll(async () => {
  closeAllSockets();
  await server?.close();
});
const prisma = () => server.services.infra.db.prisma;

describe('contacts from calls and SMS', () => {
  it('opens one draft per call, gives it to the operator who answers and opens their form', async () => {
    const from = '+79160001234';
    const caller = callerFor(server);
    const placed = await caller.placeCall({ from, to: LINE_NUMBER, digits: '' });
    const call = await prisma().call.findUniqueOrThrow({ where: { callSid: placed.callSid } });
    const draft = await prisma().contact.findUniqueOrThrow({ where: { callId: call.id } });
    expect(draft).toMatchObject({ channel: 'voice', status: 'draft', operatorId: null, phoneHash: server.services.phones.hash(from) });
    // The webhook retried by Twilio does not make a second contact.
    await caller.placeCall({ from, to: LINE_NUMBER, digits: '', callSid: placed.callSid }).catch(() => {});
    expect(await prisma().contact.count({ where: { callId: call.id } })).toBe(1);

    const op = await staffMember(server, ['operator']);
    const opened = nextEvent(op.socket, 'contact:opened', (p) => p.callId === call.id);
    expect((await op.cmd('call:accept', { callId: call.id })).ok).toBe(true);
    expect((await opened).contactId).toBe(draft.id);
    expect((await prisma().contact.findUniqueOrThrow({ where: { id: draft.id } })).operatorId).toBe(op.user.id);
    await caller.hangup(placed.callSid).catch(() => {});
  });

  it('opens a draft for a new SMS thread, linked to the sender by the phone hash', async () => {
    const from = '+79160005678';
    const caller = callerFor(server);
    await caller.sendSms({ from, to: LINE_NUMBER, body: 'Здравствуйте, мне нужна помощь' });
    const conv = await prisma().conversation.findFirstOrThrow({ where: { peerHash: server.services.phones.hash(from) } });
    const draft = await prisma().contact.findUniqueOrThrow({ where: { conversationId: conv.id } });
    expect(draft).toMatchObject({ channel: 'sms', phoneHash: server.services.phones.hash(from) });
    const op = await staffMember(server, ['operator']);
    const opened = nextEvent(op.socket, 'contact:opened', (p) => p.conversationId === conv.id);
    expect((await op.cmd('conversation:accept', { conversationId: conv.id })).ok).toBe(true);
    expect((await opened).contactId).toBe(draft.id);
  });
});

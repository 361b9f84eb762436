import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/runtime.js';
import { closeAllSockets, nextEvent } from '../helpers/socket.js';
import { callerFor, LINE_NUMBER, makeLine, staffMember, standInOf, until } from '../helpers/telephony.js';
import { systemActor } from '../../server/src/modules/audit/audit.service.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ workers: true, env: { TELEPHONY_OFFER_TIMEOUT_SECONDS: '20' } });
  await makeLine(server);
}, 60_000);
afterAll(async () => {
  closeAllSockets();
  await server?.close();
});

const prisma = () => server.services.infra.db.prisma;
const http = (cookie: string) => {
  const c = new Client(server.url);
  const [k, v] = cookie.split('=') as [string, string];
  c.cookies.set(k, v);
  return c;
};
async function csrfClient(cookie: string) {
  const c = http(cookie);
  const me = await c.get('/api/auth/me');
  c.csrf = me.body.csrfToken;
  return c;
}
let seq = 900;
const phone = () => `+7917${String(seq++).padStart(7, '0')}`;

describe('voice access tokens', () => {
  it('gives signed-in operators their identity (no token in simulator mode), and refuses others', async () => {
    const op = await staffMember(server, ['operator']);
    const res = await http(op.cookie).get('/api/telephony/token');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ mode: 'simulator', token: null, identity: op.user.id });
    const coordinator = await staffMember(server, ['coordinator']);
    expect((await http(coordinator.cookie).get('/api/telephony/token')).status).toBe(403);
    expect((await new Client(server.url).get('/api/telephony/token')).status).toBe(401);
  });

  it('issues a Twilio Access Token with a VoiceGrant for the operator when Twilio is configured', async () => {
    const live = await startTestServer({
      env: {
        TWILIO_ACCOUNT_SID: `AC${'a'.repeat(32)}`,
        TWILIO_AUTH_TOKEN: 'x'.repeat(32),
        TWILIO_API_KEY: `SK${'b'.repeat(32)}`,
        TWILIO_API_SECRET: 'secret-secret-secret',
        TWILIO_TWIML_APP_SID: `AP${'c'.repeat(32)}`,
      },
    });
    try {
      const op = await staffMember(live, ['operator']);
      const c = new Client(live.url);
      c.cookies.set(...(op.cookie.split('=') as [string, string]));
      const res = await c.get('/api/telephony/token');
      expect(res.body.mode).toBe('twilio');
      const payload = JSON.parse(Buffer.from(res.body.token.split('.')[1], 'base64url').toString());
      expect(payload.grants.identity).toBe(op.user.id);
      expect(payload.grants.voice.outgoing.application_sid).toBe(`AP${'c'.repeat(32)}`);
      expect(payload.grants.voice.incoming.allow).toBe(true);
    } finally {
      closeAllSockets();
      await live.close();
    }
  });
});

describe('lines', () => {
  it('lets admins add a line and names a bad number; others may not', async () => {
    const admin = await staffMember(server, ['admin']);
    const c = await csrfClient(admin.cookie);
    const bad = await c.post('/api/telephony/lines', { number: '8-800-CALL', name: 'Bad' });
    expect(bad.status).toBe(400);
    expect(bad.body.fields[0].path).toBe('body.number');
    const ok = await c.post('/api/telephony/lines', { number: '+74950000777', name: 'Детская линия', language: 'ru-RU', fallbackNumber: '+74950000778' });
    expect(ok.status).toBe(201);
    expect((await c.post('/api/telephony/lines', { number: '+74950000777', name: 'Again' })).status).toBe(409);
    const op = await staffMember(server, ['operator']);
    expect((await (await csrfClient(op.cookie)).post('/api/telephony/lines', { number: '+74950000779', name: 'X' })).status).toBe(403);
  });
});

describe('supervisor actions and cold transfer', () => {
  it('assigns a waiting call (it rings the chosen operator), listens to it, and a cold transfer rings the target', async () => {
    const sup = await staffMember(server, ['supervisor']);
    const a = await staffMember(server, ['operator']);
    const b = await staffMember(server, ['operator']);
    const { callSid } = await callerFor(server).placeCall({ from: phone(), to: LINE_NUMBER, digits: '' });
    const call = await prisma().call.findUniqueOrThrow({ where: { callSid } });
    const ringA = nextEvent(a.socket, 'call:offered', (o) => o.call.id === call.id);
    expect((await sup.cmd('call:assign', { callId: call.id, operatorId: a.user.id })).ok).toBe(true);
    expect((await ringA).kind).toBe('assign');
    expect((await a.cmd('call:accept', { callId: call.id })).ok).toBe(true);
    // Operators cannot assign or listen.
    expect((await b.cmd('call:listen', { callId: call.id, mode: 'listen' })).code).toBe('FORBIDDEN');
    const listened = await sup.cmd<{ consultId: string; consultMode: string }>('call:listen', { callId: call.id, mode: 'listen' });
    expect(listened.data).toMatchObject({ consultId: sup.user.id, consultMode: 'listen' });
    expect(
      standInOf(server).requests.some((r) => r.path.endsWith('/Participants.json') && r.data.To === `client:${sup.user.id}` && r.data.Muted === 'true'),
    ).toBe(true);
    expect(await prisma().auditLog.count({ where: { action: 'telephony.call.listen', entityId: call.id } })).toBe(1);
    expect((await sup.cmd<{ consultId: string | null }>('call:stop-listening', { callId: call.id })).data!.consultId).toBeNull();
    // Cold: A leaves at once, the call waits again and rings B first.
    const ringB = nextEvent(b.socket, 'call:offered', (o) => o.call.id === call.id);
    const cold = await a.cmd<{ status: string; operatorId: string | null }>('call:transfer', { callId: call.id, targetId: b.user.id, mode: 'cold' });
    expect(cold.data).toMatchObject({ status: 'queued', operatorId: null });
    expect((await ringB).kind).toBe('transfer-cold');
    expect((await b.cmd('call:accept', { callId: call.id })).ok).toBe(true);
    expect((await prisma().call.findUniqueOrThrow({ where: { id: call.id } })).operatorId).toBe(b.user.id);
    await b.cmd('call:hangup', { callId: call.id });
  });

  it('refuses hold or hang-up from an operator who is not on the call', async () => {
    const a = await staffMember(server, ['operator']);
    const other = await staffMember(server, ['operator']);
    const { callSid } = await callerFor(server).placeCall({ from: phone(), to: LINE_NUMBER, digits: '' });
    const call = await prisma().call.findUniqueOrThrow({ where: { callSid } });
    await a.cmd('call:accept', { callId: call.id });
    expect((await other.cmd('call:hold', { callId: call.id })).code).toBe('NOT_YOUR_CALL');
    expect((await other.cmd('call:hangup', { callId: call.id })).code).toBe('NOT_YOUR_CALL');
    expect((await other.cmd('call:accept', { callId: 'not-a-uuid' })).code).toBe('VALIDATION_FAILED');
    await a.cmd('call:hangup', { callId: call.id });
  });
});

describe('call-backs', () => {
  it('calls an abandoned caller back through Twilio without ever showing the number, and audits the dial', async () => {
    const from = phone();
    const caller = callerFor(server);
    const { callSid } = await caller.placeCall({ from, to: LINE_NUMBER, digits: '' });
    await caller.hangup(callSid);
    const call = await prisma().call.findUniqueOrThrow({ where: { callSid } });
    const cb = await prisma().callbackRequest.findUniqueOrThrow({ where: { callId: call.id } });
    const op = await staffMember(server, ['operator']);
    const c = await csrfClient(op.cookie);
    const res = await c.post(`/api/telephony/callbacks/${cb.id}/dial`, {});
    expect(res.status).toBe(200);
    expect(res.text).not.toContain(from.slice(1));
    expect(res.body.status).toBe('dialing');
    const dial = standInOf(server).requests.find((r) => r.path === '/Calls.json' && r.data.To === from)!;
    expect(dial.data.Twiml).toContain(`<Client>${op.user.id}</Client>`);
    expect(await prisma().auditLog.count({ where: { action: 'telephony.callback.dial', entityId: cb.id, actorId: op.user.id } })).toBe(1);
    // The stand-in reports the call-back in progress; a second dial is refused.
    expect((await c.post(`/api/telephony/callbacks/${cb.id}/dial`, {})).status).toBe(409);
  });
});

describe('conversation silence', () => {
  it('closes a conversation after the configured silence, and not before', async () => {
    const from = phone();
    await callerFor(server).sendSms({ from, to: LINE_NUMBER, body: 'Алло' });
    const conv = await prisma().conversation.findFirstOrThrow({ where: { peerHash: server.services.phones.hash(from) } });
    await server.services.conversations.closeIfSilent(conv.id, systemActor('test'));
    expect((await prisma().conversation.findUniqueOrThrow({ where: { id: conv.id } })).status).toBe('open');
    await prisma().conversation.update({ where: { id: conv.id }, data: { lastMessageAt: new Date(Date.now() - server.config.telephony.smsSilenceMs - 1000) } });
    await server.services.infra.queues.telephony.add('conversation.silence', { conversationId: conv.id }, { jobId: `t-silence-${conv.id}` });
    await until(async () => (await prisma().conversation.findUniqueOrThrow({ where: { id: conv.id } })).status === 'closed');
    expect((await prisma().conversation.findUniqueOrThrow({ where: { id: conv.id } })).closeReason).toBe('silence');
  });
});

describe('leaving a call without ending it', () => {
  it('a listening supervisor or a transfer target who has not taken over only leaves; the caller stays connected', async () => {
    const sup = await staffMember(server, ['supervisor']);
    const a = await staffMember(server, ['operator']);
    const b = await staffMember(server, ['operator']);
    const { callSid } = await callerFor(server).placeCall({ from: phone(), to: LINE_NUMBER, digits: '' });
    const call = await prisma().call.findUniqueOrThrow({ where: { callSid } });
    await a.cmd('call:accept', { callId: call.id });
    await sup.cmd('call:listen', { callId: call.id, mode: 'join' });
    expect((await sup.cmd<{ status: string; consultId: string | null }>('call:hangup', { callId: call.id })).data).toMatchObject({
      status: 'answered',
      consultId: null,
    });
    const ring = nextEvent(b.socket, 'call:offered', (o) => o.call.id === call.id);
    await a.cmd('call:transfer', { callId: call.id, targetId: b.user.id, mode: 'warm' });
    await ring;
    await b.cmd('call:accept', { callId: call.id });
    expect((await b.cmd<{ status: string; consultId: string | null; operatorId: string }>('call:hangup', { callId: call.id })).data).toMatchObject({
      status: 'answered',
      consultId: null,
      operatorId: a.user.id,
    });
    expect((await prisma().operatorState.findUniqueOrThrow({ where: { userId: b.user.id } })).state).toBe('available');
    await a.cmd('call:hangup', { callId: call.id });
  });
});

describe('presence', () => {
  it('takes an operator whose console disconnects offline and moves their ring on at once', async () => {
    // Earlier tests' waiting calls would ring first; end them.
    await prisma().call.updateMany({ where: { status: { in: ['queued', 'received'] } }, data: { status: 'ended', endedAt: new Date() } });
    closeAllSockets(); // earlier tests' operators go offline, so only these two are rung
    await until(async () => (await prisma().operatorState.count({ where: { state: 'available' } })) === 0);
    const first = await staffMember(server, ['operator'], { available: true });
    const second = await staffMember(server, ['operator'], { available: true });
    const ringFirst = nextEvent(first.socket, 'call:offered');
    const { callSid } = await callerFor(server).placeCall({ from: phone(), to: LINE_NUMBER, digits: '' });
    const call = await prisma().call.findUniqueOrThrow({ where: { callSid } });
    expect((await ringFirst).call.id).toBe(call.id);
    const ringSecond = nextEvent(second.socket, 'call:offered', (o) => o.call.id === call.id, 5_000);
    first.socket.close();
    await ringSecond; // well before the 20 s ring timeout
    await until(async () => (await prisma().operatorState.findUniqueOrThrow({ where: { userId: first.user.id } })).state === 'offline');
    expect((await prisma().callOffer.findFirstOrThrow({ where: { callId: call.id, operatorId: first.user.id } })).outcome).toBe('withdrawn');
    await callerFor(server).hangup(callSid);
  });
});

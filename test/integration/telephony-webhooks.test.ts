import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import twilio from 'twilio';
import { startTestServer, type TestServer } from '../helpers/runtime.js';
import { callerFor, LINE_NUMBER, makeLine, simTarget, webhook } from '../helpers/telephony.js';
import { sid } from '../../server/src/modules/telephony/twilio-sim.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ workers: true });
  await makeLine(server);
});
afterAll(async () => {
  await server?.close();
});

const prisma = () => server.services.infra.db.prisma;
const voiceParams = (callSid: string, from = '+79161234567') => ({
  AccountSid: server.config.telephony.accountSid,
  ApiVersion: '2010-04-01',
  CallSid: callSid,
  CallStatus: 'ringing',
  Direction: 'inbound',
  From: from,
  To: LINE_NUMBER,
  Caller: from,
  Called: LINE_NUMBER,
});
const post = (path: string, params: Record<string, string>, headers: Record<string, string>) =>
  fetch(server.url + path, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
    body: new URLSearchParams(params).toString(),
  });

describe('Twilio webhook signatures', () => {
  it('accepts a correctly signed voice webhook and answers the greeting TwiML', async () => {
    const callSid = sid('CA');
    const res = await webhook(server, '/twilio/voice', voiceParams(callSid));
    expect(res.status).toBe(200);
    expect(res.text).toContain('<Gather');
    expect(res.text).toContain('language="ru-RU"');
    expect(res.text).toMatch(/конфиденциален/);
    expect(await prisma().call.count({ where: { callSid } })).toBe(1);
  });

  it('refuses a forged signature with 403 and records nothing', async () => {
    const callSid = sid('CA');
    const params = voiceParams(callSid);
    const forged = twilio.getExpectedTwilioSignature('not-the-auth-token-at-all', `${server.config.publicUrl}/twilio/voice`, params);
    const res = await post('/twilio/voice', params, { 'x-twilio-signature': forged });
    expect(res.status).toBe(403);
    expect(await prisma().call.count({ where: { callSid } })).toBe(0);
  });

  it('refuses a missing signature with 403 and records nothing', async () => {
    const messageSid = sid('SM');
    const res = await post('/twilio/sms', { MessageSid: messageSid, From: '+79161234567', To: LINE_NUMBER, Body: 'hi' }, {});
    expect(res.status).toBe(403);
    expect(await prisma().message.count({ where: { messageSid } })).toBe(0);
  });

  it('refuses a signature made for another URL (path or query changed)', async () => {
    const callSid = sid('CA');
    const params = voiceParams(callSid);
    const other = twilio.getExpectedTwilioSignature(server.config.telephony.authToken, `${server.config.publicUrl}/twilio/voice/ivr`, params);
    expect((await post('/twilio/voice', params, { 'x-twilio-signature': other })).status).toBe(403);
    const withQuery = twilio.getExpectedTwilioSignature(server.config.telephony.authToken, `${server.config.publicUrl}/twilio/voice?x=1`, params);
    expect((await post('/twilio/voice', params, { 'x-twilio-signature': withQuery })).status).toBe(403);
    expect(await prisma().call.count({ where: { callSid } })).toBe(0);
  });

  it('checks against PUBLIC_URL, so a proxy that changes the Host header does not break it', async () => {
    const callSid = sid('CA');
    const params = voiceParams(callSid);
    const signature = twilio.getExpectedTwilioSignature(server.config.telephony.authToken, `${server.config.publicUrl}/twilio/voice`, params);
    const res = await post('/twilio/voice', params, { 'x-twilio-signature': signature, host: 'internal-backend:8080', 'x-forwarded-host': 'evil.example' });
    expect(res.status).toBe(200);
    // …and a signature computed over the Host the proxy sent is refused.
    const hostSigned = twilio.getExpectedTwilioSignature(
      server.config.telephony.authToken,
      'http://internal-backend:8080/twilio/voice',
      voiceParams(sid('CA')),
    );
    expect((await post('/twilio/voice', voiceParams(sid('CA')), { 'x-twilio-signature': hostSigned, host: 'internal-backend:8080' })).status).toBe(403);
  });

  it('names a missing required parameter when the signature is good', async () => {
    const res = await webhook(server, '/twilio/voice', { From: '+79161234567', To: LINE_NUMBER });
    expect(res.status).toBe(400);
    expect(res.text).toContain('CallSid');
  });
});

describe('idempotent webhooks', () => {
  it('records one call for a CallSid delivered twice, and emits call.created once', async () => {
    const created: string[] = [];
    server.services.events.after('call.created', (p) => void created.push(p.callId));
    const callSid = sid('CA');
    const [a, b] = await Promise.all([webhook(server, '/twilio/voice', voiceParams(callSid)), webhook(server, '/twilio/voice', voiceParams(callSid))]);
    expect([a.status, b.status]).toEqual([200, 200]);
    await webhook(server, '/twilio/voice', voiceParams(callSid));
    const rows = await prisma().call.findMany({ where: { callSid } });
    expect(rows).toHaveLength(1);
    expect(created.filter((id) => id === rows[0]!.id)).toHaveLength(1);
    // The number is kept as a keyed hash and ciphertext, never in clear.
    expect(rows[0]!.callerHash).toBe(server.services.phones.hash('+79161234567'));
    expect(rows[0]!.callerSealed).not.toContain('9161234567');
    expect(server.services.phones.label(rows[0]!.callerHash)).toMatch(/^K-[A-Z]{5}$/);
  });

  it('records one message for a MessageSid delivered twice', async () => {
    const caller = callerFor(server);
    const messageSid = sid('SM');
    await caller.sendSms({ from: '+79160000011', to: LINE_NUMBER, body: 'Привет', messageSid });
    await caller.sendSms({ from: '+79160000011', to: LINE_NUMBER, body: 'Привет', messageSid });
    expect(await prisma().message.count({ where: { messageSid } })).toBe(1);
  });

  it('only moves a call status forward when callbacks arrive out of order', async () => {
    const caller = callerFor(server);
    const { callSid } = await caller.placeCall({ from: '+79160000012', to: LINE_NUMBER, digits: '' });
    const base = { ...voiceParams(callSid, '+79160000012') };
    await webhook(server, '/twilio/voice/status', { ...base, CallStatus: 'completed', CallDuration: '5' });
    await webhook(server, '/twilio/voice/status', { ...base, CallStatus: 'ringing' });
    const row = await prisma().call.findUniqueOrThrow({ where: { callSid } });
    expect(row.twilioStatus).toBe('completed');
    expect(row.status).toBe('ended');
  });
});

describe('Twilio parameter sets', () => {
  it('takes Cyrillic and emoji bodies, media and location fields, and missing optional fields', async () => {
    const caller = callerFor(server);
    const body = 'Мне страшно 😢 помогите';
    const { messageSid, status } = await caller.sendSms({
      from: '+79160000013',
      to: LINE_NUMBER,
      body,
      mediaUrls: ['https://api.twilio.com/2010-04-01/Accounts/AC/Messages/MM/Media/ME1.jpg', 'https://example.org/b.png'],
    });
    expect(status).toBe(200);
    const m = await prisma().message.findUniqueOrThrow({ where: { messageSid } });
    expect(m.body).toBe(body);
    expect(m.numMedia).toBe(2);
    expect(m.mediaUrls).toHaveLength(2);
    expect(m.mediaTypes).toEqual(['image/jpeg', 'image/png']);
    expect(m.encoding).toBe('UCS-2');
    // Only the required fields, nothing optional.
    const bare = sid('SM');
    const res = await webhook(server, '/twilio/sms', { MessageSid: bare, From: '+79160000014', To: LINE_NUMBER });
    expect(res.status).toBe(200);
    expect(res.text).toContain('<Response');
    expect((await prisma().message.findUniqueOrThrow({ where: { messageSid: bare } })).body).toBe('');
    const voice = await webhook(server, '/twilio/voice', {
      CallSid: sid('CA'),
      From: '+79160000015',
      To: LINE_NUMBER,
      FromCity: 'МОСКВА',
      CallerCountry: 'RU',
    });
    expect(voice.status).toBe(200);
  });

  it('signs what the simulator sends exactly as Twilio does', () => {
    const t = simTarget(server);
    const params = { CallSid: 'CA1', Body: 'Привет 👋' };
    const sig = twilio.getExpectedTwilioSignature(t.authToken, `${t.publicUrl}/twilio/sms`, params);
    expect(twilio.validateRequest(t.authToken, sig, `${t.publicUrl}/twilio/sms`, params)).toBe(true);
  });
});

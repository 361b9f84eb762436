// Bad input gets a clear 4xx naming the problem and changes nothing; an SMS is never lost to it.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sid } from '../../server/src/modules/telephony/twilio-sim.js';
import { signedIn } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/runtime.js';
import { LINE_NUMBER, makeLine, until, webhook } from '../helpers/telephony.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ workers: true });
  await makeLine(server);
});
afterAll(async () => {
  await server?.close();
});
const prisma = () => server.services.infra.db.prisma;

describe('NUL bytes', () => {
  it('refuses a NUL in an API text field with 400 naming the field, and creates nothing', async () => {
    const { client: admin } = await signedIn(server.url, server.services, ['coordinator']);
    const before = await prisma().dirOrganization.count();
    const res = await admin.post('/api/directory/organizations', { name: 'Центр\u0000помощи' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('name');
    expect(await prisma().dirOrganization.count()).toBe(before);
  });

  it('keeps an SMS whose body holds a NUL, with the NUL replaced', async () => {
    const messageSid = sid('SM');
    const res = await webhook(server, '/twilio/sms', {
      AccountSid: server.config.telephony.accountSid,
      MessageSid: messageSid,
      From: '+79160001122',
      To: LINE_NUMBER,
      Body: 'мне\u0000плохо',
      NumMedia: '0',
    });
    expect(res.status).toBe(200);
    const row = await until(() => prisma().message.findFirst({ where: { messageSid } }));
    expect(row.body).toBe('мне\uFFFDплохо');
  });
});

describe('references and limits', () => {
  it('answers an unknown organizationId with a 4xx naming it, not a 500', async () => {
    const { client: coordinator } = await signedIn(server.url, server.services, ['coordinator']);
    const before = await prisma().dirService.count();
    const res = await coordinator.post('/api/directory/services', { organizationId: randomUUID(), name: 'Продуктовый набор', urgentKinds: ['food'] });
    expect([404, 422]).toContain(res.status);
    expect(res.text).toMatch(/organization/i);
    expect(await prisma().dirService.count()).toBe(before);
  });

  it('refuses an oversized CallSid and an absurd NumMedia with 400, recording nothing', async () => {
    const callSid = `CA${'a'.repeat(200)}`;
    const voice = await webhook(server, '/twilio/voice', {
      AccountSid: server.config.telephony.accountSid,
      CallSid: callSid,
      CallStatus: 'ringing',
      Direction: 'inbound',
      From: '+79161234567',
      To: LINE_NUMBER,
    });
    expect(voice.status).toBe(400);
    expect(await prisma().call.count({ where: { callSid } })).toBe(0);
    const sms = await webhook(server, '/twilio/sms', {
      AccountSid: server.config.telephony.accountSid,
      MessageSid: sid('SM'),
      From: '+79160001122',
      To: LINE_NUMBER,
      Body: 'x',
      NumMedia: '99999999999',
    });
    expect(sms.status).toBe(400);
  });
});

// The dispatch lifecycle against real PostgreSQL, Redis and BullMQ workers, on the demo
// directory seeded into every test database: short deadlines expire and move on, then escalate;
// offer SMS go through telephony once each; a provider accepts by a signed inbound SMS webhook
// and finishes through the signed link; capacity is held and released.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ClientToServerEvents, ServerToClientEvents } from '@trustline/shared';
import { signedIn, type Client } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/runtime.js';
import { callerFor, LINE_NUMBER, makeLine, sleep, staffMember, until } from '../helpers/telephony.js';
import { seedId } from '../../server/src/modules/directory/directory.seed.js';

let server: TestServer;
let coordinator: Client;
const prisma = () => server.services.infra.db.prisma;

beforeAll(async () => {
  server = await startTestServer({
    workers: true,
    env: {
      DISPATCH_ACK_NOW_SECONDS: '2',
      DISPATCH_ACK_TODAY_SECONDS: '600',
      DISPATCH_MAX_OFFERS: '2',
      DISPATCH_DELIVERY_TODAY_SECONDS: '3',
      DISPATCH_WARNING_PERCENT: '50',
    },
  });
  await makeLine(server);
  coordinator = (await signedIn(server.url, server.services, ['coordinator'])).client;
});
afterAll(() => server?.close());

const request = (over: Record<string, unknown> = {}) => ({
  referral: 'school No. 5',
  kind: 'food',
  district: 'Кировский район',
  urgency: 'today',
  quantity: 1,
  ...over,
});
const steps = async (id: string) => (await prisma().dispatchEvent.findMany({ where: { dispatchId: id }, orderBy: { at: 'asc' } })).map((e) => e.type);
const offerSms = (offerId: string) => prisma().message.findMany({ where: { purpose: 'dispatch.offer', refId: offerId } });

describe('dispatch lifecycle', () => {
  it('offers to the best provider with reasons, and hands exactly one SMS to telephony', async () => {
    const res = await coordinator.post('/api/dispatches', request());
    expect(res.status).toBe(201);
    const d = await until(async () => {
      const row = await prisma().dispatch.findUnique({ where: { id: res.body.id }, include: { offers: true } });
      return row?.offers[0]?.smsStatus !== 'queued' ? row : null;
    });
    expect(d.state).toBe('offered');
    const offer = d.offers[0]!;
    expect((offer.reasons as { key: string }[]).map((r) => r.key)).toEqual(expect.arrayContaining(['serves_area', 'free_capacity']));
    const sms = await until(async () => ((await offerSms(offer.id)).length ? offerSms(offer.id) : null));
    expect(sms).toHaveLength(1);
    expect(sms[0]!.body).toContain(`ДА ${offer.code}`);
    expect(sms[0]!.body).toContain('/p/offer/');
    expect(sms[0]!.body).not.toContain('school');
    // A request for children at high risk queues its SMS ahead of an ordinary one.
    const urgent = await coordinator.post('/api/dispatches', request({ childrenInvolved: true, risk: 'high' }));
    const [plain, first] = await Promise.all([res.body.id, urgent.body.id].map((id) => prisma().dispatchOffer.findFirstOrThrow({ where: { dispatchId: id } })));
    const priorities = await prisma().outbox.findMany({
      where: { jobId: { in: [`offer-sms-${plain!.id}`, `offer-sms-${first!.id}`] } },
      orderBy: { priority: 'asc' },
    });
    expect(priorities.map((p) => p.jobId)).toEqual([`offer-sms-${first!.id}`, `offer-sms-${plain!.id}`]);
    // Idempotent: relaying the same outbox row or running the job again sends nothing more.
    await server.services.dispatch.sendOfferSms(offer.id);
    expect(await offerSms(offer.id)).toHaveLength(1);
  });

  it('a deadline expires within a second, the offer moves on, and after N tries it goes to the coordinator', async () => {
    const { socket } = await staffMember(server, ['coordinator']);
    const alerts: Parameters<ServerToClientEvents['dispatch:alert']>[0][] = [];
    (socket as unknown as { on: (e: string, f: (a: never) => void) => void }).on('dispatch:alert', (a: never) => alerts.push(a));
    const res = await coordinator.post('/api/dispatches', request({ kind: 'accommodation', urgency: 'now', childrenInvolved: true }));
    expect(res.status).toBe(201);
    const id = res.body.id;
    const escalated = await until(async () => {
      const row = await prisma().dispatch.findUnique({ where: { id }, include: { offers: { orderBy: { createdAt: 'asc' } } } });
      return row?.escalated ? row : null;
    }, 12_000);
    expect(escalated.state).toBe('requested');
    expect(escalated.escalatedReason).toBe('max_offers');
    expect(escalated.offers.map((o) => o.state)).toEqual(['expired', 'expired']);
    expect(new Set(escalated.offers.map((o) => o.serviceId)).size).toBe(2);
    expect(await steps(id)).toEqual(expect.arrayContaining(['requested', 'offered', 'deadline_warning', 'expired', 'escalated']));
    // Each expiry happened within a second of its deadline.
    const expiries = await prisma().dispatchEvent.findMany({ where: { dispatchId: id, type: 'expired' }, orderBy: { at: 'asc' } });
    expiries.forEach((e, i) => expect(Math.abs(e.at.getTime() - escalated.offers[i]!.deadline.getTime())).toBeLessThan(1000));
    await until(async () => alerts.some((a) => a.dispatchId === id && a.level === 'escalated'));
    const board = await coordinator.get('/api/dispatches/board');
    expect(board.body.find((c: any) => c.id === id)).toMatchObject({ escalated: true, state: 'requested' });
    socket.disconnect();
  });

  it('a provider accepts by SMS ("да  NNN", signed webhook), capacity is held, then delivered through the link', async () => {
    const before = await prisma().dirServiceCapacity.findUnique({ where: { id: seedId('capacity:food-sets') } });
    const res = await coordinator.post('/api/dispatches', request({ quantity: 2 }));
    const offer = await until(() => prisma().dispatchOffer.findFirst({ where: { dispatchId: res.body.id, smsStatus: { not: 'queued' } } }));
    const phone = await prisma().dirPhone.findUnique({ where: { id: offer.phoneId! } });
    const from = server.services.phones.decrypt(phone!.numberEnc);

    // A wrong code from the provider's phone, and the right code from another phone, are not answers.
    await callerFor(server).sendSms({ from, to: LINE_NUMBER, body: 'ДА 99999', messageSid: `SM${Date.now()}a` });
    await callerFor(server).sendSms({ from: '+79169999999', to: LINE_NUMBER, body: `да ${offer.code}`, messageSid: `SM${Date.now()}b` });
    await sleep(300);
    expect((await prisma().dispatch.findUnique({ where: { id: res.body.id } }))!.state).toBe('offered');

    await callerFor(server).sendSms({ from, to: LINE_NUMBER, body: `  да   ${offer.code} `, messageSid: `SM${Date.now()}c` });
    const accepted = await until(async () => {
      const row = await prisma().dispatch.findUnique({ where: { id: res.body.id } });
      return row?.state === 'accepted' ? row : null;
    });
    expect(accepted.serviceId).toBe(offer.serviceId);
    const claimed = await prisma().message.findFirst({ where: { direction: 'inbound', claimedBy: 'dispatch' }, orderBy: { createdAt: 'desc' } });
    expect(claimed?.conversationId).toBeNull();
    if (offer.serviceId === seedId('service:food-sets')) {
      const held = await prisma().dirServiceCapacity.findUnique({ where: { id: seedId('capacity:food-sets') } });
      expect(held!.available).toBe(before!.available - 2);
    }
    expect(await prisma().capacityHold.count({ where: { dispatchId: res.body.id, releasedAt: null } })).toBe(1);

    // The signed link from the SMS: the provider marks it delivered.
    const sms = (await offerSms(offer.id))[0]!;
    const link = /\/p\/offer\/\S+/.exec(sms.body)![0];
    const page = await fetch(server.url + link);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('data-action="delivered"');
    const tampered = await fetch(server.url + link.slice(0, -2) + (link.endsWith('A') ? 'BB' : 'AA'));
    expect(tampered.status).toBe(403);
    expect(await tampered.text()).toContain('data-reason="tampered"');
    const done = await fetch(server.url + link, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'action=delivered&note=' + encodeURIComponent('отдали лично'),
    });
    expect(done.status).toBe(200);
    expect((await prisma().dispatch.findUnique({ where: { id: res.body.id } }))!.state).toBe('delivered');
    const used = await fetch(server.url + link);
    expect(used.status).toBe(410);
    expect(await used.text()).toContain('data-reason="used"');
    expect(await steps(res.body.id)).toEqual(expect.arrayContaining(['requested', 'offered', 'sms_queued', 'accepted', 'capacity_held', 'delivered']));
    // Delivered keeps the hold (the food sets were given out).
    expect(await prisma().capacityHold.count({ where: { dispatchId: res.body.id, releasedAt: null } })).toBe(1);
  });

  it('releases held capacity on cancel, with a reason, and refuses to cancel twice', async () => {
    const res = await coordinator.post('/api/dispatches', request({ kind: 'clothing', quantity: 3 }));
    const offer = await until(() => prisma().dispatchOffer.findFirst({ where: { dispatchId: res.body.id } }));
    const cap = await prisma().dirServiceCapacity.findFirst({ where: { serviceId: offer.serviceId } });
    expect((await server.services.dispatch.answer(offer.id, 'accept', 'link')).ok).toBe(true);
    if (cap) expect((await prisma().dirServiceCapacity.findUnique({ where: { id: cap.id } }))!.available).toBe(cap.available - 3);
    const bad = await coordinator.post(`/api/dispatches/${res.body.id}/cancel`, { reason: '' });
    expect(bad.status).toBe(400);
    expect(bad.body.fields[0].path).toContain('reason');
    expect((await coordinator.post(`/api/dispatches/${res.body.id}/cancel`, { reason: 'family found help elsewhere' })).status).toBe(204);
    if (cap) expect((await prisma().dirServiceCapacity.findUnique({ where: { id: cap.id } }))!.available).toBe(cap.available);
    expect(await prisma().capacityHold.count({ where: { dispatchId: res.body.id, releasedAt: null } })).toBe(0);
    expect((await coordinator.post(`/api/dispatches/${res.body.id}/cancel`, { reason: 'again' })).status).toBe(409);
    const detail = await coordinator.get(`/api/dispatches/${res.body.id}`);
    expect(detail.body.steps.map((s: any) => s.type)).toEqual(expect.arrayContaining(['accepted', 'capacity_held', 'capacity_released', 'cancelled']));
  });

  it('raises overdue on the board when delivery is late, and the coordinator marks delivered on the provider’s behalf', async () => {
    const res = await coordinator.post('/api/dispatches', request({ kind: 'legal', district: 'Советский район' }));
    const offer = await until(() => prisma().dispatchOffer.findFirst({ where: { dispatchId: res.body.id } }));
    await server.services.dispatch.answer(offer.id, 'accept', 'link');
    await until(async () => (await steps(res.body.id)).includes('overdue'), 8_000);
    const board = await coordinator.get('/api/dispatches/board');
    expect(board.body[0]).toMatchObject({ id: res.body.id, overdue: true });
    expect((await coordinator.post(`/api/dispatches/${res.body.id}/delivered`, { note: 'provider phoned' })).status).toBe(204);
    expect((await prisma().dispatch.findUnique({ where: { id: res.body.id } }))!.state).toBe('delivered');
  });

  it('tells the recipient who is coming when they agreed, and follows the offer SMS delivery state', async () => {
    const res = await coordinator.post(
      '/api/dispatches',
      request({ kind: 'psychological', recipientName: 'Анна', recipientPhone: '+7 913 555 12 34', notifyRecipient: true }),
    );
    expect(res.status).toBe(201);
    const offer = await until(() => prisma().dispatchOffer.findFirst({ where: { dispatchId: res.body.id, smsStatus: { not: 'queued' } } }));
    // Telephony's status callbacks come back through 'sms.status-changed'.
    await until(async () => ['sent', 'delivered'].includes((await prisma().dispatchOffer.findUnique({ where: { id: offer.id } }))!.smsStatus), 8_000);
    await server.services.dispatch.answer(offer.id, 'accept', 'link');
    const told = await until(async () => {
      const rows = await prisma().message.findMany({ where: { purpose: 'dispatch.recipient', refId: res.body.id } });
      return rows.length ? rows : null;
    });
    expect(told).toHaveLength(1);
    expect(told[0]!.body).not.toContain('Анна');
    const detail = await coordinator.get(`/api/dispatches/${res.body.id}`);
    expect(detail.body.recipientPhoneLabel).toMatch(/^K-[A-Z]{5}$/);
    expect(JSON.stringify(detail.body)).not.toMatch(/1234/);
    expect(JSON.stringify(detail.body)).not.toContain('555 12 34');
    expect(detail.body.steps.map((s: any) => s.type)).toContain('recipient_told');
  });

  it('through the link a provider declines (the next one is offered), or accepts, reports progress, adds a note and delivers', async () => {
    const post = (link: string, body: string) =>
      fetch(server.url + link, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body });
    const linkOf = async (offerId: string) => {
      const sms = await until(async () => (await offerSms(offerId))[0]);
      return /\/p\/offer\/\S+/.exec(sms.body)![0];
    };
    const res = await coordinator.post('/api/dispatches', request({ kind: 'clothing' }));
    const first = await until(() => prisma().dispatchOffer.findFirst({ where: { dispatchId: res.body.id, rank: 1 } }));
    const declined = await post(await linkOf(first.id), 'action=decline');
    expect(declined.status).toBe(200);
    const second = await until(() => prisma().dispatchOffer.findFirst({ where: { dispatchId: res.body.id, rank: 2 } }));
    expect(second.serviceId).not.toBe(first.serviceId);
    const link = await linkOf(second.id);
    expect((await post(link, 'action=accept')).status).toBe(200);
    const page = await (await fetch(server.url + link)).text();
    expect(page).toContain('data-action="in_progress"');
    expect((await post(link, 'action=in_progress')).status).toBe(200);
    expect((await post(link, 'action=note&note=' + encodeURIComponent('будем через 20 минут'))).status).toBe(200);
    expect((await post(link, 'action=delivered')).status).toBe(200);
    const detail = await coordinator.get(`/api/dispatches/${res.body.id}`);
    expect(detail.body.state).toBe('delivered');
    expect(detail.body.steps.map((s: any) => s.type)).toEqual(expect.arrayContaining(['declined', 'accepted', 'in_progress', 'note', 'delivered']));
    expect(detail.body.steps.find((s: any) => s.type === 'note').note).toBe('будем через 20 минут');
    // The first provider's link is closed after its decline.
    expect((await fetch(server.url + (await linkOf(first.id)))).status).toBe(410);
  });

  it('refuses a dispatch for a contact that does not exist', async () => {
    const res = await coordinator.post('/api/dispatches', { ...request(), referral: null, contactId: '00000000-0000-4000-8000-000000000000' });
    expect(res.status).toBe(404);
  });

  it('refuses bad requests naming the field, and writes nothing', async () => {
    const before = await prisma().dispatch.count();
    const res = await coordinator.post('/api/dispatches', { kind: 'food', district: '', urgency: 'soon' });
    expect(res.status).toBe(400);
    expect(res.body.fields.map((f: any) => f.path)).toEqual(expect.arrayContaining(['body.district', 'body.urgency']));
    expect(await prisma().dispatch.count()).toBe(before);
  });
});

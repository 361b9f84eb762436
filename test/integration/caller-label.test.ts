// No digit of a caller's number reaches a console (issue 13): calls, SMS threads, call-backs,
// contacts, cases and dispatches show the caller by the label of the keyed hash and their
// history; the number comes out only through the break-glass reveal (reason required, holder or
// supervisor, audited, supervisors alerted live). Real socket.io clients listen as operators and
// as a supervisor and every payload is searched for the number's digits.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CallOfferSummary, CallSummary, CallbackSummary, ConversationSummary } from '@trustline/shared';
import { Client } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/runtime.js';
import { closeAllSockets, nextEvent, type ClientSocket } from '../helpers/socket.js';
import { callerFor, LINE_NUMBER, makeLine, staffMember, until, type Staff } from '../helpers/telephony.js';

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
const FROM = '+79169847315';
const DIGITS = FROM.slice(1);

/** Everything a console received: socket events and HTTP bodies, as text. */
const seen: string[] = [];
function listen(socket: ClientSocket) {
  (socket as unknown as { onAny: (f: (e: string, ...a: unknown[]) => void) => void }).onAny((event, ...args) => seen.push(`${event} ${JSON.stringify(args)}`));
}
async function client(s: Staff) {
  const c = new Client(server.url);
  const [k, v] = s.cookie.split('=') as [string, string];
  c.cookies.set(k, v);
  c.csrf = (await c.get('/api/auth/me')).body.csrfToken;
  const keep = <T extends { body: unknown }>(r: T) => (seen.push(JSON.stringify(r.body)), r);
  return {
    get: async (path: string) => keep(await c.get(path)),
    post: async (path: string, body: unknown) => keep(await c.post(path, body)),
    patch: async (path: string, body: unknown) => keep(await c.patch(path, body)),
    raw: c,
  };
}
/** Runs of four or more digits in `text` that are part of the caller's number. Ids, times and
 * hex sids are taken out first: they are not the number, and may hold digits by chance. */
function numberRuns(text: string) {
  const cleaned = text
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, '')
    .replace(/\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z/g, '')
    .replace(/[0-9a-f]{16,}/gi, '');
  return (cleaned.match(/\d{4,}/g) ?? []).filter((run) => [...Array(run.length - 3).keys()].some((i) => DIGITS.includes(run.slice(i, i + 4))));
}

let sup: Staff, op: Staff, other: Staff;
let call: { id: string; callSid: string };
let conversationId: string;
let callbackId: string;
const label = () => server.services.phones.label(server.services.phones.hash(FROM))!;

describe('callers by label and history, never a digit', () => {
  it('shows the caller by label and history in every call, SMS, call-back, contact, case and dispatch view', async () => {
    sup = await staffMember(server, ['supervisor']);
    op = await staffMember(server, ['operator']);
    other = await staffMember(server, ['operator']);
    for (const s of [sup, op, other]) listen(s.socket);
    await sup.cmd('wallboard:subscribe', {});
    const caller = callerFor(server);

    // 1. An SMS thread from the number: its first contact.
    const thread = nextEvent(sup.socket, 'conversation:updated', () => true);
    await caller.sendSms({ from: FROM, to: LINE_NUMBER, body: 'Помогите пожалуйста' });
    const conv = (await thread) as ConversationSummary;
    conversationId = conv.id;
    expect(conv.peer).toEqual({ label: label(), history: { earlier: 0, lastAt: null } });
    expect(label()).toMatch(/^K-[A-HJ-NP-Z]{5}$/);

    // 2. A call that no one answers: abandoned, on the call-back list. Its second contact.
    const cbEvent = nextEvent(sup.socket, 'callback:updated', () => true, 8_000);
    const first = await caller.placeCall({ from: FROM, to: LINE_NUMBER, digits: '' });
    await new Promise((r) => setTimeout(r, 100));
    await caller.hangup(first.callSid);
    const cb = (await cbEvent) as CallbackSummary;
    callbackId = cb.id;
    expect(cb.caller.label).toBe(label());
    expect(cb.caller.history?.earlier).toBe(1);

    // 3. The operator comes on shift, takes the thread, then the call rings: the third contact.
    const threadOffer = nextEvent(op.socket, 'conversation:offered', (o) => o.conversation.id === conversationId);
    expect((await op.cmd('operator:set-state', { state: 'available' })).ok).toBe(true);
    expect((await threadOffer).conversation.peer.label).toBe(label());
    expect((await op.cmd('conversation:accept', { conversationId })).ok).toBe(true);

    const offered = nextEvent(op.socket, 'call:offered', () => true, 8_000);
    const placed = await caller.placeCall({ from: FROM, to: LINE_NUMBER, digits: '1' });
    const offer = (await offered) as CallOfferSummary;
    const firstCall = await prisma().call.findUniqueOrThrow({ where: { callSid: first.callSid } });
    expect(offer.call.caller).toEqual({ label: label(), history: { earlier: 2, lastAt: firstCall.receivedAt.toISOString() } });
    call = { id: offer.call.id, callSid: placed.callSid };

    const opened = nextEvent(op.socket, 'contact:opened', (p) => p.callId === call.id);
    const accepted = await op.cmd<CallSummary>('call:accept', { callId: call.id });
    expect(accepted.ok).toBe(true);
    expect(accepted.data!.caller.history?.earlier).toBe(2);
    const contactId = (await opened).contactId;

    // Snapshots, lists and reads, as operator and as supervisor.
    for (const s of [op, sup, other]) {
      const snap = await s.cmd<{ calls: CallSummary[]; conversations: ConversationSummary[] }>('telephony:snapshot', {});
      seen.push(JSON.stringify(snap));
      expect(snap.data!.calls.find((c) => c.id === call.id)?.caller.label).toBe(label());
      expect(snap.data!.conversations.find((c) => c.id === conversationId)?.peer.history).toEqual({ earlier: 0, lastAt: null });
    }
    const opHttp = await client(op);
    const supHttp = await client(sup);
    const callbacks = await opHttp.get('/api/telephony/callbacks');
    expect(callbacks.body.find((c: CallbackSummary) => c.id === callbackId)?.caller.label).toBe(label());

    // The contact: label and history, and the call-back number the operator types shows as a label.
    const contact = await opHttp.get(`/api/contacts/${contactId}`);
    expect(contact.body.caller).toEqual({ label: label(), history: { earlier: 2, lastAt: firstCall.receivedAt.toISOString() } });
    const patched = await opHttp.patch(`/api/contacts/${contactId}`, {
      version: contact.body.version,
      identity: { consent: true, consentMethod: 'spoken', name: 'Анна', callbackPhone: FROM },
    });
    expect(patched.status).toBe(200);
    expect(patched.body.identity.callbackPhoneLabel).toBe(label());
    expect((await supHttp.get(`/api/contacts/${contactId}`)).status).toBe(200);

    // A case and a dispatch naming the same number.
    const opened2 = await opHttp.post('/api/cases', {
      contactIds: [contactId],
      subject: { kind: 'family', name: 'Семья Петровых', phone: FROM },
      consent: { given: true },
    });
    expect(opened2.status).toBe(201);
    expect(opened2.body.subject.phoneLabel).toBe(label());
    expect((await supHttp.get(`/api/cases/${opened2.body.id}`)).body.subject.phoneLabel).toBe(label());
    const d = await opHttp.post('/api/dispatches', {
      contactId,
      kind: 'food',
      district: 'Кировский район',
      urgency: 'today',
      quantity: 1,
      recipientName: 'Анна',
      recipientPhone: FROM,
    });
    expect(d.status).toBe(201);
    expect((await supHttp.get(`/api/dispatches/${d.body.id}`)).body.recipientPhoneLabel).toBe(label());
    await opHttp.get(`/api/dispatches/${d.body.id}`);

    // The call ends; the queue, wallboard and call-back events settle.
    expect((await op.cmd('call:hangup', { callId: call.id })).ok).toBe(true);
    await new Promise((r) => setTimeout(r, 300));

    expect(seen.length).toBeGreaterThan(20);
    const all = seen.join('\n');
    expect(all).toContain(label());
    expect(numberRuns(all)).toEqual([]);
  });

  it('gives a withheld number no label and no history', async () => {
    const caller = callerFor(server);
    const offered = nextEvent(op.socket, 'call:offered', () => true, 8_000);
    await until(
      async () =>
        (await prisma().operatorState.findUnique({ where: { userId: op.user.id } }))?.state === 'available' ||
        (await op.cmd('operator:set-state', { state: 'available' })).ok,
      8_000,
    );
    const placed = await caller.placeCall({ from: 'anonymous', to: LINE_NUMBER, digits: '' });
    const offer = (await offered) as CallOfferSummary;
    expect(offer.call.caller).toEqual({ label: null, history: null });
    const res = await (await client(sup)).post(`/api/telephony/calls/${offer.call.id}/reveal-number`, { reason: 'call_back' });
    expect(res.status).toBe(409);
    expect(res.body.code).toBe('NO_NUMBER');
    await caller.hangup(placed.callSid).catch(() => {});
  });
});

describe('break-glass: revealing a number', () => {
  it('needs a reason, refuses another operator, reveals once to the holder, audits it and alerts supervisors only', async () => {
    const path = `/api/telephony/calls/${call.id}/reveal-number`;
    const opHttp = await client(op);
    const missing = await opHttp.post(path, {});
    expect(missing.status).toBe(400);
    expect(missing.body.message).toMatch(/reason/);
    expect((await opHttp.post(path, { reason: 'curiosity' })).status).toBe(400);
    const refused = await (await client(other)).post(path, { reason: 'emergency_services' });
    expect(refused.status).toBe(403);
    expect(await prisma().auditLog.count({ where: { action: 'caller.number.reveal' } })).toBe(0);

    const alert = nextEvent(sup.socket, 'privacy:number-revealed', (a) => a.subjectId === call.id);
    let operatorAlerted = false;
    (other.socket as unknown as { on: (e: string, f: () => void) => void }).on('privacy:number-revealed', () => (operatorAlerted = true));
    const res = await opHttp.raw.post(path, { reason: 'emergency_services', note: 'передано диспетчеру 112' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ number: FROM, label: label(), reason: 'emergency_services', supervisorsAlerted: true });
    expect(res.headers.get('cache-control')).toMatch(/no-store/);
    const a = await alert;
    expect(a).toMatchObject({ subject: 'call', label: label(), reason: 'emergency_services', actorId: op.user.id });
    expect(numberRuns(JSON.stringify(a))).toEqual([]);
    await new Promise((r) => setTimeout(r, 100));
    expect(operatorAlerted).toBe(false);

    const entry = await prisma().auditLog.findFirstOrThrow({ where: { action: 'caller.number.reveal', entityId: call.id } });
    expect(entry).toMatchObject({ actorId: op.user.id, entity: 'Call' });
    expect(entry.detail).toMatchObject({ purpose: 'emergency_services', label: label() });
    expect(String((entry.detail as { reason: string }).reason)).toContain('112');
    expect(numberRuns(JSON.stringify(entry.detail))).toEqual([]);

    // A supervisor who reconnects catches up from the server; an operator may not list reveals.
    const recent = await (await client(sup)).get('/api/telephony/reveals');
    expect(recent.body[0]).toMatchObject({ id: a.id, subject: 'call', subjectId: call.id, reason: 'emergency_services' });
    expect((await opHttp.get('/api/telephony/reveals')).status).toBe(403);
  });

  it('reveals a thread to the operator holding it and a call-back to a supervisor, not to an operator who does not hold it', async () => {
    const supHttp = await client(sup);
    expect((await (await client(other)).post(`/api/telephony/conversations/${conversationId}/reveal-number`, { reason: 'call_back' })).status).toBe(403);
    const own = await (await client(op)).raw.post(`/api/telephony/conversations/${conversationId}/reveal-number`, { reason: 'call_back' });
    expect(own.status).toBe(200);
    expect(own.body.number).toBe(FROM);
    expect((await (await client(other)).post(`/api/telephony/callbacks/${callbackId}/reveal-number`, { reason: 'call_back' })).status).toBe(403);
    const alert = nextEvent(sup.socket, 'privacy:number-revealed', (x) => x.subjectId === callbackId);
    const cb = await supHttp.raw.post(`/api/telephony/callbacks/${callbackId}/reveal-number`, { reason: 'court_request', note: 'запрос суда № 2-15/2026' });
    expect(cb.status).toBe(200);
    expect(cb.body.number).toBe(FROM);
    expect((await alert).subject).toBe('callback');
    expect((await supHttp.post(`/api/telephony/calls/00000000-0000-4000-8000-000000000000/reveal-number`, { reason: 'call_back' })).status).toBe(404);
    expect(await prisma().auditLog.count({ where: { action: 'caller.number.reveal' } })).toBe(3);
  });
});

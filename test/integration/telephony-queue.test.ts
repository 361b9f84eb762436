import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { CallOfferSummary } from '@trustline/shared';
import { startTestServer, type TestServer } from '../helpers/runtime.js';
import { closeAllSockets, nextEvent } from '../helpers/socket.js';
import { callerFor, LINE_NUMBER, makeLine, staffMember, standInOf, until, type Staff } from '../helpers/telephony.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({
    workers: true,
    env: { TELEPHONY_OFFER_TIMEOUT_SECONDS: '1', TELEPHONY_NO_ANSWER_SECONDS: '2', TELEPHONY_WRAP_UP_SECONDS: '1' },
  });
  await makeLine(server);
}, 60_000);
afterAll(async () => {
  closeAllSockets();
  await server?.close();
});

const prisma = () => server.services.infra.db.prisma;
const live: { caller: ReturnType<typeof callerFor>; sids: string[] }[] = [];
let phoneSeq = 100;
async function placeCall(digits = '') {
  const caller = callerFor(server);
  const from = `+7916${String(phoneSeq++).padStart(7, '0')}`;
  const res = await caller.placeCall({ from, to: LINE_NUMBER, digits });
  expect(res.status).toBe(200);
  const call = await prisma().call.findUniqueOrThrow({ where: { callSid: res.callSid } });
  live.push({ caller, sids: [res.callSid] });
  return { caller, callSid: res.callSid, call, from };
}
afterEach(async () => {
  // End every call a test left waiting, and take its operators offline, so tests stay apart.
  for (const { caller, sids } of live.splice(0)) for (const s of sids) await caller.hangup(s).catch(() => {});
  closeAllSockets();
  await until(async () => (await prisma().operatorState.count({ where: { state: 'available' } })) === 0);
});

describe('the live queue and offers', () => {
  it('gives a waiting call to exactly one operator when 50 accept at once', async () => {
    const operators: Staff[] = await Promise.all(Array.from({ length: 50 }, () => staffMember(server, ['operator'])));
    const { call } = await placeCall();
    expect(call.status).toBe('queued');
    const answers = await Promise.all(operators.map((o) => o.cmd('call:accept', { callId: call.id })));
    const winners = answers.filter((a) => a.ok);
    expect(winners).toHaveLength(1);
    expect(answers.filter((a) => !a.ok).every((a) => a.code === 'CALL_ALREADY_TAKEN')).toBe(true);
    const row = await prisma().call.findUniqueOrThrow({ where: { id: call.id } });
    expect(row.status).toBe('answered');
    const winner = operators[answers.findIndex((a) => a.ok)]!;
    expect(row.operatorId).toBe(winner.user.id);
    expect(await prisma().callOffer.count({ where: { callId: call.id, outcome: 'accepted' } })).toBe(1);
    expect((await prisma().operatorState.findUniqueOrThrow({ where: { userId: winner.user.id } })).state).toBe('on_call');
    expect(row.waitMs).toBeGreaterThanOrEqual(0);
    // The browser is rung into the caller's conference (the stand-in recorded the REST call).
    expect(
      standInOf(server).requests.some((r) => r.path === `/Conferences/call-${call.id}/Participants.json` && r.data.To === `client:${winner.user.id}`),
    ).toBe(true);
    await winner.cmd('call:hangup', { callId: call.id });
  });

  it('orders the queue by priority, then by waiting time, and offers the urgent call first', async () => {
    const a = await placeCall('');
    const b = await placeCall('');
    const urgent = await placeCall('1');
    const watcher = await staffMember(server, ['supervisor']);
    const snap = await watcher.cmd<{ calls: { id: string; priority: string }[] }>('telephony:snapshot');
    const ids = snap.data!.calls.map((c) => c.id).filter((id) => [a.call.id, b.call.id, urgent.call.id].includes(id));
    expect(ids).toEqual([urgent.call.id, a.call.id, b.call.id]);
    expect(snap.data!.calls.find((c) => c.id === urgent.call.id)!.priority).toBe('urgent');
    const op = await staffMember(server, ['operator']);
    const ring = nextEvent(op.socket, 'call:offered');
    await op.cmd('operator:set-state', { state: 'available' });
    expect(((await ring) as CallOfferSummary).call.id).toBe(urgent.call.id);
  });

  it('rings the longest-idle operator, and the next one when the ring times out or is declined', async () => {
    const first = await staffMember(server, ['operator'], { available: true });
    const second = await staffMember(server, ['operator'], { available: true });
    const ringFirst = nextEvent(first.socket, 'call:offered');
    const { call } = await placeCall('');
    expect(((await ringFirst) as CallOfferSummary).call.id).toBe(call.id);
    // No answer within the offer timeout (1 s): it moves on, and the first ring is withdrawn.
    const withdrawn = nextEvent(first.socket, 'call:offer-withdrawn', (w) => w.callId === call.id, 4_000);
    const ringSecond = (await nextEvent(second.socket, 'call:offered', (o) => o.call.id === call.id, 4_000)) as CallOfferSummary;
    expect((await withdrawn).reason).toBe('expired');
    // The second operator declines: it rings the first again.
    const again = nextEvent(first.socket, 'call:offered', (o) => o.call.id === call.id, 4_000);
    expect((await second.cmd('call:decline', { offerId: ringSecond.offerId })).ok).toBe(true);
    await again;
    const offers = await prisma().callOffer.findMany({ where: { callId: call.id }, orderBy: { offeredAt: 'asc' } });
    expect(offers.map((o) => o.outcome)).toEqual(['expired', 'declined', 'pending']);
  });

  it('counts an abandoned call with its wait and puts it on the call-back list', async () => {
    const abandoned: { callId: string; waitedMs: number }[] = [];
    server.services.events.after('call.abandoned', (p) => void abandoned.push(p));
    const { caller, callSid, call, from } = await placeCall('');
    await new Promise((r) => setTimeout(r, 150));
    await caller.hangup(callSid);
    const row = await prisma().call.findUniqueOrThrow({ where: { id: call.id } });
    expect(row).toMatchObject({ status: 'ended', abandoned: true, endReason: 'caller-hangup' });
    expect(row.waitMs).toBeGreaterThanOrEqual(100);
    expect(abandoned.find((a) => a.callId === call.id)?.waitedMs).toBe(row.waitMs);
    const cb = await prisma().callbackRequest.findUniqueOrThrow({ where: { callId: call.id } });
    expect(cb).toMatchObject({ kind: 'abandoned', status: 'open', callerHash: row.callerHash, callerSealed: row.callerSealed });
    // Operators see the list without the number.
    const op = await staffMember(server, ['operator']);
    const { Client } = await import('../helpers/http.js');
    const client = new Client(server.url);
    client.cookies = new Map(op.cookie.split('; ').map((c) => c.split('=') as [string, string]));
    const list = await client.get('/api/telephony/callbacks');
    expect(list.status).toBe(200);
    expect(list.body.some((c: { callId: string }) => c.callId === call.id)).toBe(true);
    expect(JSON.stringify(list.body)).not.toContain(from.slice(2));
  });

  it('offers voicemail or a call-back when no one answers in time, and alerts supervisors', async () => {
    const supervisor = await staffMember(server, ['supervisor']);
    const alert = nextEvent(supervisor.socket, 'call:unanswered-alert', () => true, 6_000);
    const { caller, callSid, call } = await placeCall('');
    expect((await alert).callId).toBe(call.id);
    // Twilio was told to play the menu; the stand-in fetched it as Twilio would.
    await until(async () => standInOf(server).requests.some((r) => r.path === `/Calls/${callSid}.json` && r.data.Url?.endsWith('/twilio/voice/no-answer')));
    await standInOf(server).settle();
    expect(caller.calls.get(callSid)!.twiml.at(-1)).toContain('<Gather');
    const rec = await caller.press(callSid, '1');
    expect(rec.twiml).toContain('<Record');
    await caller.finishRecording(callSid, 20);
    const cb = await prisma().callbackRequest.findUniqueOrThrow({ where: { callId: call.id } });
    expect(cb.kind).toBe('voicemail');
    expect(cb.recordingUrl).toMatch(/Recordings\/RE/);
    const row = await prisma().call.findUniqueOrThrow({ where: { id: call.id } });
    expect(row).toMatchObject({ status: 'ended', endReason: 'voicemail', abandoned: false });
  });

  it('brings a caller who is hearing the no-answer menu back into the conference when an operator takes the call', async () => {
    const supervisor = await staffMember(server, ['supervisor']);
    const alert = nextEvent(supervisor.socket, 'call:unanswered-alert', () => true, 6_000);
    const { caller, callSid, call } = await placeCall('');
    await alert;
    await until(async () => standInOf(server).requests.some((r) => r.path === `/Calls/${callSid}.json` && r.data.Url?.endsWith('/twilio/voice/no-answer')));
    await standInOf(server).settle();
    const op = await staffMember(server, ['operator']);
    expect((await op.cmd('call:accept', { callId: call.id })).ok).toBe(true);
    await until(async () => standInOf(server).requests.some((r) => r.path === `/Calls/${callSid}.json` && r.data.Url?.endsWith('/twilio/voice/rejoin')));
    await standInOf(server).settle();
    expect(caller.calls.get(callSid)!.twiml.at(-1)).toContain(`call-${call.id}</Conference>`);
    await op.cmd('call:hangup', { callId: call.id });
  });

  it('accepts, holds, transfers warm to a second operator who then hangs up; wrap-up ends on its timer', async () => {
    const a = await staffMember(server, ['operator'], { available: true });
    const b = await staffMember(server, ['operator']);
    const ring = nextEvent(a.socket, 'call:offered');
    const { call } = await placeCall('');
    await ring;
    expect((await a.cmd('call:accept', { callId: call.id })).ok).toBe(true);
    const held = await a.cmd<{ onHold: boolean }>('call:hold', { callId: call.id });
    expect(held.data!.onHold).toBe(true);
    expect(standInOf(server).requests.some((r) => r.path === `/Conferences/call-${call.id}/Participants/caller.json` && r.data.Hold === 'true')).toBe(true);
    await a.cmd('call:resume', { callId: call.id });
    const transferRing = nextEvent(b.socket, 'call:offered', (o) => o.call.id === call.id && o.kind === 'transfer-warm');
    expect((await a.cmd('call:transfer', { callId: call.id, targetId: b.user.id, mode: 'warm' })).ok).toBe(true);
    await transferRing;
    const joined = await b.cmd<{ consultId: string }>('call:accept', { callId: call.id });
    expect(joined.data!.consultId).toBe(b.user.id);
    const done = await a.cmd<{ operatorId: string }>('call:complete-transfer', { callId: call.id });
    expect(done.data!.operatorId).toBe(b.user.id);
    expect((await prisma().operatorState.findUniqueOrThrow({ where: { userId: a.user.id } })).state).toBe('wrap_up');
    const ended = await b.cmd<{ status: string }>('call:hangup', { callId: call.id });
    expect(ended.data!.status).toBe('ended');
    // Wrap-up (1 s) ends by its delayed job.
    await until(async () => (await prisma().operatorState.findUniqueOrThrow({ where: { userId: b.user.id } })).state === 'available', 5_000);
    const history = await prisma().operatorStateHistory.findMany({ where: { userId: b.user.id }, orderBy: { id: 'asc' } });
    expect(history.map((h) => h.state)).toEqual(['offline', 'on_call', 'wrap_up']);
  });
});

// A thread's words go only where the work needs them (issue: confidentiality). Real socket.io
// clients listen as the operator holding a thread, a second operator and a supervisor, and every
// event each receives is searched for the texts: the second operator must get none of them, the
// supervisor only after opening the thread on purpose (audited), and none after leaving it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ConversationSummary, MessageSummary } from '@trustline/shared';
import { startTestServer, type TestServer } from '../helpers/runtime.js';
import { closeAllSockets, nextEvent, type ClientSocket } from '../helpers/socket.js';
import { callerFor, LINE_NUMBER, makeLine, sleep, staffMember, until } from '../helpers/telephony.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ workers: true });
  await makeLine(server);
}, 60_000);
afterAll(async () => {
  closeAllSockets();
  await server?.close();
});

const prisma = () => server.services.infra.db.prisma;

/** Everything a socket receives, as JSON, so a test can search it for a text. */
function recorder(socket: ClientSocket) {
  const heard: { event: string; json: string }[] = [];
  socket.onAny((event: string, ...args: unknown[]) => heard.push({ event, json: JSON.stringify(args) }));
  return {
    heard,
    saw: (text: string) => heard.some((h) => h.json.includes(text)),
    events: (name: string) => heard.filter((h) => h.event === name),
  };
}

describe('SMS texts reach only the holder and supervisors who open the thread', () => {
  it('keeps every text from a second operator, and from a supervisor until they open the thread', async () => {
    const holder = await staffMember(server, ['operator']);
    const other = await staffMember(server, ['operator']);
    const supervisor = await staffMember(server, ['supervisor']);
    const [h, o, s] = [recorder(holder.socket), recorder(other.socket), recorder(supervisor.socket)];
    const caller = callerFor(server);
    const from = '+79260001122';

    // Waiting: the queue learns of the thread (counts and times), nobody gets its words.
    const first = 'Мне страшно, отчим опять пьёт';
    const updated = nextEvent(other.socket, 'conversation:updated', (c) => c.messageCount === 1);
    await caller.sendSms({ from, to: LINE_NUMBER, body: first });
    const waiting = (await updated) as ConversationSummary;
    expect(JSON.stringify(waiting)).not.toContain(first);
    expect(waiting).toMatchObject({ status: 'open', operatorId: null, messageCount: 1 });
    // An operator who does not hold it may not read it.
    expect(await other.cmd('conversation:messages', { conversationId: waiting.id })).toMatchObject({ ok: false, code: 'CONVERSATION_NOT_YOURS' });

    // Taken: the holder reads it (audited) and gets the next message live, in its own room.
    expect((await holder.cmd('conversation:accept', { conversationId: waiting.id })).ok).toBe(true);
    const read = await holder.cmd('conversation:messages', { conversationId: waiting.id });
    expect(read.ok).toBe(true);
    expect((read.data as MessageSummary[]).map((m) => m.body)).toEqual([first]);
    const second = 'Он кричит за дверью';
    const live = nextEvent(holder.socket, 'conversation:message', (m) => m.body === second);
    await caller.sendSms({ from, to: LINE_NUMBER, body: second });
    await live;
    const reply = 'Вы в безопасности сейчас? Можете закрыться в комнате?';
    expect((await holder.cmd('conversation:reply', { conversationId: waiting.id, body: reply })).ok).toBe(true);

    // A supervisor opens it on purpose: audited as such, then follows it live until leaving.
    const opened = await supervisor.cmd('conversation:messages', { conversationId: waiting.id });
    expect(opened.ok).toBe(true);
    expect((opened.data as MessageSummary[]).map((m) => m.body)).toEqual([first, second, reply]);
    const third = 'Да, закрылась';
    const followed = nextEvent(supervisor.socket, 'conversation:message', (m) => m.body === third);
    await caller.sendSms({ from, to: LINE_NUMBER, body: third });
    await followed;
    expect((await supervisor.cmd('conversation:leave', { conversationId: waiting.id })).ok).toBe(true);
    const fourth = 'Он ушёл';
    const last = nextEvent(holder.socket, 'conversation:message', (m) => m.body === fourth);
    await caller.sendSms({ from, to: LINE_NUMBER, body: fourth });
    await last;
    await sleep(300); // any stray emit to the others would have landed by now

    // The second operator heard of the thread but none of its words; the supervisor only the one
    // sent while they had it open (the rest came in the audited read's answer, not as events).
    expect(o.events('conversation:updated').length).toBeGreaterThan(0);
    for (const text of [first, second, reply, third, fourth]) expect(o.saw(text), `second operator saw «${text}»`).toBe(false);
    expect(o.events('conversation:message')).toEqual([]);
    expect(s.events('conversation:message').map((e) => JSON.parse(e.json)[0].body)).toEqual([third]);
    expect(s.saw(fourth)).toBe(false);
    expect(h.events('conversation:message').map((e) => JSON.parse(e.json)[0].body)).toEqual(expect.arrayContaining([second, reply, fourth]));

    // Both reads are in the audit log, the supervisor's marked as such.
    const reads = await until(async () => {
      const rows = await prisma().auditLog.findMany({ where: { action: 'telephony.conversation.read', entityId: waiting.id } });
      return rows.length >= 2 ? rows : null;
    });
    expect(reads.map((r) => [r.actorId, (r.detail as { as: string }).as]).sort()).toEqual(
      [
        [holder.user.id, 'holder'],
        [supervisor.user.id, 'supervisor'],
      ].sort(),
    );
  });
});

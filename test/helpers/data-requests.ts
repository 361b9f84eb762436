// Two people for the data-request tests: A across every table that holds a person's data, and B
// with data that looks alike (the same first name, a case, texts, a call-back) under another
// number, one of B's contacts linked to A's case (a neighbour's report). Written through Prisma,
// as the features write them (numbers hashed and sealed by services.phones).
import { randomBytes } from 'node:crypto';
import type { Services } from '../../server/src/services.js';

export interface Person {
  phone: string;
  /** Digits of the number that must not appear anywhere once erased. */
  digits: string;
  values: string[];
  ids: {
    contacts: string[];
    calls: string[];
    conversations: string[];
    messages: string[];
    callbacks: string[];
    dispatches: string[];
    cases: string[];
    consents: string[];
    flags: string[];
  };
  caseNumber: number;
}

export async function seedPeople(services: Services) {
  const db = services.infra.db.prisma;
  const { phones } = services;
  const run = randomBytes(3).toString('hex');
  // Numbers unique per run so that tests sharing a database do not meet each other's people.
  const num = () => `9${String(Math.floor(Math.random() * 1e9)).padStart(9, '0')}`;

  async function person(tag: 'A' | 'B', national: string, opts: { caseOpen: boolean; linkTo?: string }): Promise<Person> {
    const phone = `+7${national}`;
    const hash = phones.hash(phone);
    const v = (what: string) => `${what} ${tag}${run}`;
    const name = `Мария ${tag === 'A' ? 'Альфина' : 'Бетова'} ${run}`;
    const values = [
      name,
      v('ул. Садовая, д.'),
      v('Петя'),
      v('Суть обращения'),
      v('Меры приняты'),
      v('План безопасности'),
      v('Текст SMS'),
      v('Ответ оператора'),
      v('Заметка по случаю'),
      v('Мать'),
      v('Цель плана'),
      v('Задача'),
      v('Примечание поставщику'),
      v('Заметка по доставке'),
      v('Причина отметки'),
      v('Проверка'),
      v('Сигнал'),
    ];
    const [addr, child, summary, actions, safety, sms, reply, caseNote, member, goalText, taskText, providerNote, dispatchNote, flagReason, check, signal] =
      values.slice(1);

    const call = await db.call.create({
      data: { callSid: `CA${randomBytes(16).toString('hex')}`, callerHash: hash, callerSealed: phones.encrypt(phone), status: 'ended', endedAt: new Date() },
    });
    const conv = await db.conversation.create({ data: { peerHash: hash, peerSealed: phones.encrypt(phone), status: 'open' } });
    const m1 = await db.message.create({
      data: {
        conversationId: conv.id,
        direction: 'inbound',
        peerHash: hash,
        peerSealed: phones.encrypt(phone),
        body: sms!,
        status: 'received',
        messageSid: `SM${randomBytes(16).toString('hex')}`,
      },
    });
    const m2 = await db.message.create({
      data: { conversationId: conv.id, direction: 'outbound', peerHash: hash, peerSealed: phones.encrypt(phone), body: reply!, status: 'delivered' },
    });
    const cb = await db.callbackRequest.create({
      data: { kind: 'abandoned', callId: call.id, callerHash: hash, callerSealed: phones.encrypt(phone), recordingUrl: `https://rec.example/${tag}${run}` },
    });
    // The call-back number typed by an operator in the national form.
    const callBack = `8 (${national.slice(0, 3)}) ${national.slice(3, 6)}-${national.slice(6, 8)}-${national.slice(8)}`;
    const c1 = await db.contact.create({
      data: {
        channel: 'voice',
        callId: call.id,
        phoneHash: hash,
        status: 'finalised',
        finalisedAt: new Date(),
        identified: true,
        summary: summary!,
        actionsTaken: actions!,
        safetyPlan: safety!,
        identity: { create: { consentAt: new Date(), name, age: 34, address: addr!, phoneHash: phones.hash(callBack), phoneSealed: phones.encrypt(callBack) } },
        people: { create: [{ relation: 'child', name: child!, age: 7 }] },
      },
    });
    const c2 = await db.contact.create({
      data: { channel: 'sms', conversationId: conv.id, phoneHash: hash, status: 'finalised', finalisedAt: new Date(), summary: `${summary} (sms)` },
    });
    // A walk-in contact with no number, linked to the person's case.
    const c3 = await db.contact.create({ data: { channel: 'walk-in', status: 'finalised', finalisedAt: new Date(), summary: `${summary} (визит)` } });
    const dispatch = await db.dispatch.create({
      data: {
        contactId: c1.id,
        kind: 'food',
        recipientName: name,
        recipientPhoneEnc: phones.encrypt(phone),
        recipientPhoneHash: hash,
        district: 'Центральный',
        address: addr,
        urgency: 'today',
        providerNote: providerNote!,
        state: 'delivered',
        deliveredAt: new Date(),
        closedAt: new Date(),
        events: { create: [{ type: 'note', note: dispatchNote! }] },
      },
    });
    const k = await db.case.create({
      data: {
        origin: 'signal',
        signalFrom: signal,
        signalSummary: signal,
        subjectKind: 'family',
        subjectName: name,
        phoneHash: hash,
        phoneSealed: phones.encrypt(phone),
        address: addr,
        district: 'Центральный',
        consentAt: new Date(),
        checkSummary: check,
        stage: opts.caseOpen ? 'opened' : 'closed',
        closedAt: opts.caseOpen ? null : new Date(),
        members: { create: [{ name: member!, relation: 'mother', age: 34 }] },
        notes: { create: [{ kind: 'note', text: caseNote! }] },
        contacts: { create: [{ contactId: c1.id }, { contactId: c3.id }] },
      },
    });
    const goal = await db.caseGoal.create({ data: { caseId: k.id, part: 'safety', text: goalText! } });
    await db.caseTask.create({ data: { caseId: k.id, goalId: goal.id, text: taskText! } });
    const consent = await db.consent.create({ data: { contactId: c1.id, purpose: 'identified_contact', method: 'spoken' } });
    const flag = await db.callerFlag.create({ data: { phoneHash: hash, kind: 'frequent', reason: flagReason!, expiresAt: new Date(Date.now() + 86_400_000) } });
    if (opts.linkTo) await db.caseContact.create({ data: { caseId: opts.linkTo, contactId: c1.id } });
    return {
      phone,
      digits: national,
      values,
      ids: {
        contacts: [c1.id, c2.id, c3.id],
        calls: [call.id],
        conversations: [conv.id],
        messages: [m1.id, m2.id],
        callbacks: [cb.id],
        dispatches: [dispatch.id],
        cases: [k.id],
        consents: [consent.id],
        flags: [flag.id],
      },
      caseNumber: k.number,
    };
  }

  const a = await person('A', num(), { caseOpen: true });
  // B's first contact is linked to A's case too: a neighbour's report about A's family.
  const b = await person('B', num(), { caseOpen: false, linkTo: a.ids.cases[0] });
  return { a, b };
}

/** Every row of every table that holds a person's data, as text (sealed values as stored). */
export async function everything(services: Services) {
  const db = services.infra.db.prisma;
  const tables = await Promise.all([
    db.contact.findMany(),
    db.contactIdentity.findMany(),
    db.contactPerson.findMany(),
    db.call.findMany(),
    db.conversation.findMany(),
    db.message.findMany(),
    db.callbackRequest.findMany(),
    db.dispatch.findMany(),
    db.dispatchEvent.findMany(),
    db.case.findMany(),
    db.caseMember.findMany(),
    db.caseNote.findMany(),
    db.caseGoal.findMany(),
    db.caseTask.findMany(),
    db.caseTransition.findMany(),
    db.consent.findMany(),
    db.callerFlag.findMany(),
    db.contactEvent.findMany(),
  ]);
  return JSON.stringify(tables, (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
}

// One person's data across every table retention reaches, all of it dated `at` and marked with a
// unique tag in every text, so a test can look for the tag in each table's rows afterwards.
import { randomUUID } from 'node:crypto';
import type { PrismaClient } from '../../server/src/generated/prisma/client.js';
import type { PhoneCrypto } from '../../server/src/crypto/phone.js';

export interface SeededPerson {
  tag: string;
  sealed: string[];
  contactId: string;
  draftId: string;
  callId: string;
  conversationId: string;
  messageId: string;
  callbackId: string;
  dispatchId: string;
  caseId: string;
}

/** `hold`: what keeps the person's data although it is old (an open case, a pending follow-up,
 * a dispatch under way). The case is then open, or the dispatch active. */
export async function seedPerson(
  p: PrismaClient,
  phones: Pick<PhoneCrypto, 'encrypt' | 'hash'>,
  at: Date,
  hold: 'none' | 'open-case' | 'follow-up' | 'active-dispatch' = 'none',
): Promise<SeededPerson> {
  const tag = `Zq${randomUUID().slice(0, 8)}`;
  const phone = `+7913${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
  const hash = phones.hash(phone);
  const sealed = [phones.encrypt(phone), phones.encrypt(phone), phones.encrypt(phone), phones.encrypt(phone), phones.encrypt(phone), phones.encrypt(phone)];

  const call = await p.call.create({
    data: {
      callSid: `CA${randomUUID().replace(/-/g, '')}`,
      callerHash: hash,
      callerSealed: sealed[0]!,
      callerCountry: 'RU',
      status: 'ended',
      receivedAt: at,
      answeredAt: at,
      endedAt: at,
    },
  });
  const thread = await p.conversation.create({
    data: { peerHash: hash, peerSealed: sealed[1]!, status: 'closed', openedAt: at, lastMessageAt: at, closedAt: at },
  });
  const message = await p.message.create({
    data: {
      conversationId: thread.id,
      direction: 'inbound',
      peerHash: hash,
      peerSealed: sealed[2]!,
      body: `Мне страшно, ${tag}`,
      mediaUrls: [`https://api.twilio.com/media/${tag}`],
      mediaTypes: ['image/jpeg'],
      status: 'received',
      createdAt: at,
    },
  });
  const callback = await p.callbackRequest.create({
    data: { kind: 'voicemail', callId: call.id, callerHash: hash, callerSealed: sealed[3]!, recordingUrl: `https://api.twilio.com/rec/${tag}`, createdAt: at },
  });
  const contact = await p.contact.create({
    data: {
      channel: 'voice',
      status: 'finalised',
      callId: call.id,
      conversationId: thread.id,
      phoneHash: hash,
      identified: true,
      createdAt: at,
      finalisedAt: at,
      summary: `Анна ${tag} рассказала о побоях`,
      actionsTaken: `Дан адрес приюта ${tag}`,
      safetyPlan: `План ${tag}`,
      riskOverrideReason: `Причина ${tag}`,
      sourceOrgName: `Школа ${tag}`,
      ...(hold === 'follow-up' ? { followUpAt: new Date(Date.now() + 86_400_000) } : {}),
    },
  });
  await p.contactIdentity.create({
    data: { contactId: contact.id, consentAt: at, name: `Анна ${tag}`, age: 15, address: `ул. Ленина 1, ${tag}`, phoneHash: hash, phoneSealed: sealed[4]! },
  });
  await p.contactPerson.create({ data: { contactId: contact.id, relation: 'child', name: `Петя ${tag}`, age: 4 } });
  await p.callerFlag.create({ data: { phoneHash: hash, kind: 'note', reason: `Звонит ночью ${tag}`, expiresAt: at, createdAt: at } });

  const draft = await p.contact.create({
    data: { channel: 'sms', status: 'draft', identified: true, summary: `Черновик ${tag}`, createdAt: at, updatedAt: at },
  });
  await p.contactIdentity.create({ data: { contactId: draft.id, consentAt: at, name: `Анна ${tag}`, address: `ул. Ленина 1, ${tag}` } });
  await p.contactPerson.create({ data: { contactId: draft.id, relation: 'mother', name: `Мать ${tag}` } });

  const active = hold === 'active-dispatch';
  const dispatch = await p.dispatch.create({
    data: {
      contactId: contact.id,
      kind: 'food',
      recipientName: `Анна ${tag}`,
      recipientPhoneEnc: sealed[5]!,
      recipientPhoneHash: hash,
      district: 'kirovsky',
      address: `ул. Ленина 1, ${tag}`,
      urgency: 'today',
      providerNote: `Позвонить ${tag}`,
      referral: `Направление ${tag}`,
      state: active ? 'accepted' : 'delivered',
      createdAt: at,
      deliveredAt: active ? null : at,
      closedAt: active ? null : at,
    },
  });
  await p.dispatchEvent.create({ data: { dispatchId: dispatch.id, type: 'note', note: `Дверь ${tag}`, at } });

  const open = hold === 'open-case';
  const kase = await p.case.create({
    data: {
      origin: 'contact',
      subjectKind: 'family',
      subjectName: `Семья ${tag}`,
      phoneHash: hash,
      phoneSealed: sealed[0]!,
      address: `ул. Ленина 1, ${tag}`,
      consentAt: at,
      consentNote: `Согласие ${tag}`,
      signalFrom: `Школа ${tag}`,
      signalSummary: `Сигнал ${tag}`,
      checkSummary: `Проверка ${tag}`,
      assessmentNote: `Оценка ${tag}`,
      safetyFactors: [`бабушка ${tag}`],
      riskFactors: [`отчим ${tag}`],
      stage: open ? 'monitoring' : 'closed',
      closedAt: open ? null : at,
      closeReason: open ? null : 'situation_improved',
      closeReasonText: open ? null : `Итог ${tag}`,
      createdAt: at,
      openedAt: at,
    },
  });
  await p.caseContact.create({ data: { caseId: kase.id, contactId: contact.id, linkedAt: at } });
  await p.caseMember.create({ data: { caseId: kase.id, name: `Петя ${tag}`, relation: 'child', isChild: true, age: 4, birthYear: 2022 } });
  await p.caseNote.create({ data: { caseId: kase.id, kind: 'note', text: `Визит ${tag}`, createdAt: at } });
  const goal = await p.caseGoal.create({ data: { caseId: kase.id, part: 'safety', text: `Цель ${tag}`, createdAt: at } });
  await p.caseTask.create({ data: { caseId: kase.id, goalId: goal.id, text: `Задача ${tag}`, ownerName: `Психолог ${tag}`, createdAt: at } });
  await p.caseTransition.create({ data: { caseId: kase.id, from: 'monitoring', to: open ? 'monitoring' : 'closed', reason: `Закрыт ${tag}`, at } });

  return {
    tag,
    sealed,
    contactId: contact.id,
    draftId: draft.id,
    callId: call.id,
    conversationId: thread.id,
    messageId: message.id,
    callbackId: callback.id,
    dispatchId: dispatch.id,
    caseId: kase.id,
  };
}

/** Every row of every table retention reaches, as text: a tag or a sealed number found in it is
 * a person's data still held. Read through Prisma, as the console would see it. */
export async function tableDump(p: PrismaClient, tables: string[]): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const t of tables) {
    const delegate = (p as unknown as Record<string, { findMany(): Promise<unknown[]> }>)[t.charAt(0).toLowerCase() + t.slice(1)];
    if (!delegate) throw new Error(`no Prisma model ${t}`);
    out[t] = JSON.stringify(await delegate.findMany(), (_k, v) => (typeof v === 'bigint' ? v.toString() : v));
  }
  return out;
}

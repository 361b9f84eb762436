// A person's requests about their data (152-FZ art. 14 access, art. 21 erasure). An admin finds
// everything held about one person (by phone number, contact or case), exports it, and on
// request anonymises it with a destruction record. Every step is audited under the request's
// registration number; no audit entry, log line or answer carries the number searched for.
//
// The search answers with a handle: the seed (hashes of the number, or the contact or case id),
// the reference and the admin, sealed with a key of its own and valid for an hour. The export and
// the erasure take it back, so the number never travels in a URL and nothing is kept in memory.
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes, randomUUID } from 'node:crypto';
import type { DataCategory, DataRequestEraseBody, DataRequestItem, DataRequestKind, DataRequestSearchBody, DataRequestSummary } from '@trustline/shared';
import type { PhoneCrypto } from '../../crypto/phone.js';
import { normalisePhone } from '../../crypto/phone.js';
import type { Transactor } from '../../db/tx.js';
import { conflict, DomainError, invalid, notFound } from '../../errors.js';
import type { Actor, AuditService } from '../audit/audit.service.js';
import { buildExport, exportCount, type PersonExport } from './data-requests.export.js';
import { renderHtml } from './data-requests.html.js';
import type { DataRequestsRepository, Found, Seed, TableCounts } from './data-requests.repository.js';

const HANDLE_TTL_MS = 60 * 60_000;
/** Kinds of personal data an erasure destroys, as the destruction record lists them. */
/** What an erasure removes, as the destruction record's category codes (shared/src/retention.ts). */
const CATEGORIES: DataCategory[] = ['phone', 'name', 'age', 'address', 'family', 'notes', 'message_text', 'message_media', 'voicemail', 'case_plan'];

interface HandleData {
  v: 1;
  h: string[];
  c?: string;
  k?: string;
  n?: number;
  r: string;
  u: string | null;
  x: number;
}

/**
 * The forms one number is written in. Twilio gives E.164 (+79001234567); a call-back number an
 * operator typed may be national (8 900 123-45-67). The keyed hash is of the normalised text, so
 * each Russian form is hashed (+7…, 8…, 7…), and other numbers as given and with a leading +.
 */
export function phoneForms(raw: string): string[] {
  const n = normalisePhone(raw);
  const digits = n.replace(/^\+/, '');
  const forms = new Set<string>([n]);
  let national: string | null = null;
  if (digits.length === 11 && (digits.startsWith('7') || digits.startsWith('8'))) national = digits.slice(1);
  else if (digits.length === 10 && digits.startsWith('9') && !n.startsWith('+')) national = digits;
  if (national) for (const f of [`+7${national}`, `8${national}`, `7${national}`]) forms.add(f);
  else if (!n.startsWith('+')) forms.add(`+${digits}`);
  return [...forms];
}

export function dataRequestsService(deps: {
  repo: DataRequestsRepository;
  audit: AuditService;
  transaction: Transactor;
  phones: PhoneCrypto;
  appSecret: string;
  timeZone: string;
  now?: () => Date;
}) {
  const { repo, audit, transaction, phones } = deps;
  const now = deps.now ?? (() => new Date());
  const key = Buffer.from(hkdfSync('sha256', deps.appSecret, 'trustline', 'trustline:data-request-handle', 32));
  const withheld = phones.hash('');

  function seal(d: HandleData) {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', key, iv);
    const ct = Buffer.concat([c.update(JSON.stringify(d), 'utf8'), c.final()]);
    return [iv, c.getAuthTag(), ct].map((b) => b.toString('base64url')).join('.');
  }
  function unseal(handle: string, actor: Actor): HandleData {
    const bad = () =>
      new DomainError('DATA_REQUEST_HANDLE_INVALID', 'handle: not a valid search, or it has expired: search again', 400, [
        { path: 'handle', message: 'search again' },
      ]);
    const [iv, tag, ct] = handle.split('.');
    if (!iv || !tag || !ct) throw bad();
    let d: HandleData;
    try {
      const dc = createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
      dc.setAuthTag(Buffer.from(tag, 'base64url'));
      d = JSON.parse(Buffer.concat([dc.update(Buffer.from(ct, 'base64url')), dc.final()]).toString('utf8')) as HandleData;
    } catch {
      throw bad();
    }
    if (d.v !== 1 || d.x < now().getTime() || d.u !== actor.userId) throw bad();
    return d;
  }

  const seedOf = (d: HandleData): Seed => ({ hashes: d.h, contactId: d.c, caseId: d.k, caseNumber: d.n });
  const searchedBy = (d: HandleData) => (d.h.length ? 'phone' : d.c ? 'contact' : 'case') as 'phone' | 'contact' | 'case';
  const total = (f: Found) =>
    f.contacts.size +
    f.calls.size +
    f.conversations.size +
    f.messages.size +
    f.callbacks.size +
    f.dispatches.size +
    f.cases.size +
    f.consents.size +
    f.flags.size;
  /** Counts only: what the audit entry may hold. */
  const counts = (f: Found) => ({
    contacts: f.contacts.size,
    calls: f.calls.size,
    conversations: f.conversations.size,
    messages: f.messages.size,
    callbacks: f.callbacks.size,
    dispatches: f.dispatches.size,
    cases: f.cases.size,
    consents: f.consents.size,
    flags: f.flags.size,
  });

  async function find(d: HandleData) {
    const f = await repo.find(seedOf(d), [withheld]);
    if (!f.seedFound) throw notFound(d.c ? 'contact' : 'case');
    return f;
  }

  return {
    phoneForms,

    async search(body: DataRequestSearchBody, actor: Actor): Promise<DataRequestSummary> {
      const hashes = body.phone ? phoneForms(body.phone).map((p) => phones.hash(p)) : [];
      if (body.phone && hashes.includes(withheld)) throw invalid('phone', 'must be a phone number');
      const d: HandleData = {
        v: 1,
        h: hashes,
        c: body.contactId,
        k: body.caseId,
        n: body.caseNumber,
        r: body.reference,
        u: actor.userId,
        x: now().getTime() + HANDLE_TTL_MS,
      };
      const f = await find(d);
      const [rows, openCases, activeDispatches] = await Promise.all([
        repo.summaryRows(f),
        repo.openCases([...f.cases.keys()]),
        repo.activeDispatches([...f.dispatches.keys()]),
      ]);
      const item = (kind: DataRequestKind, id: string, at: Date, number: number | null = null): DataRequestItem => ({
        id,
        at: at.toISOString(),
        number,
        via: f[kind].get(id) ?? 'phone',
      });
      const kinds: DataRequestSummary['kinds'] = {
        contacts: rows.contacts.map((r) => item('contacts', r.id, r.createdAt)),
        calls: rows.calls.map((r) => item('calls', r.id, r.receivedAt)),
        conversations: rows.conversations.map((r) => item('conversations', r.id, r.openedAt)),
        messages: rows.messages.map((r) => item('messages', r.id, r.createdAt)),
        callbacks: rows.callbacks.map((r) => item('callbacks', r.id, r.createdAt)),
        dispatches: rows.dispatches.map((r) => item('dispatches', r.id, r.createdAt, r.number)),
        cases: rows.cases.map((r) => item('cases', r.id, r.createdAt, r.number)),
        consents: rows.consents.map((r) => item('consents', r.id, r.recordedAt)),
        flags: rows.flags.map((r) => item('flags', r.id, r.createdAt)),
      };
      // The label of the number as given in E.164 (the form calls and texts are recorded in).
      const e164 = hashes.length ? phones.hash(phoneForms(body.phone!).find((p) => p.startsWith('+')) ?? body.phone!) : null;
      await audit.record(actor, 'data-request.search', {
        entity: 'DataRequest',
        entityId: d.r,
        detail: {
          reason: body.reason,
          by: searchedBy(d),
          contactId: body.contactId ?? null,
          caseId: body.caseId ?? null,
          caseNumber: body.caseNumber ?? null,
          records: total(f),
          counts: counts(f),
        },
      });
      return {
        handle: seal(d),
        expiresAt: new Date(d.x).toISOString(),
        reference: d.r,
        callerLabel: e164 ? phones.label(e164) : null,
        total: total(f),
        kinds,
        openCases,
        activeDispatches,
        leftOut: f.leftOut,
      };
    },

    /** The person's data as one file: JSON, or the printable HTML in the reader's language. */
    async export(handle: string, format: 'json' | 'html', lang: 'ru' | 'en', actor: Actor) {
      const d = unseal(handle, actor);
      const f = await find(d);
      const data: PersonExport = buildExport(await repo.read(f), phones, {
        reference: d.r,
        exportedAt: now(),
        exportedBy: actor.label ?? '—',
        searchedBy: searchedBy(d),
      });
      const records = exportCount(data);
      await audit.record(actor, 'data-request.export', { entity: 'DataRequest', entityId: d.r, detail: { format, lang, records, counts: counts(f) } });
      const stamp = now().toISOString().slice(0, 10);
      const safeRef = d.r.replace(/[^\p{L}\p{N}-]+/gu, '-').replace(/^-+|-+$/g, '') || 'request';
      const filename = `personal-data-${safeRef}-${stamp}.${format}`;
      const body = format === 'json' ? `${JSON.stringify(data, null, 2)}\n` : renderHtml(data, lang, deps.timeZone);
      return { filename, body, records, contentType: format === 'json' ? 'application/json; charset=utf-8' : 'text/html; charset=utf-8' };
    },

    /** Anonymises everything found, in one transaction, with the destruction record and the
     * audit entry. Refused while a found case is open or an urgent-help request under way. */
    async erase(body: DataRequestEraseBody, actor: Actor) {
      const d = unseal(body.handle, actor);
      if (body.reference !== d.r) throw invalid('reference', 'is not the reference of this search');
      return transaction(async (tx) => {
        const f = await repo.find(seedOf(d), [withheld], tx);
        if (!f.seedFound) throw notFound(d.c ? 'contact' : 'case');
        const found = total(f);
        if (found !== body.expectedTotal) {
          throw conflict('DATA_REQUEST_CHANGED', `${found} records are held now, not ${body.expectedTotal}: search again and check the summary`);
        }
        if (found === 0) throw conflict('DATA_REQUEST_NOTHING', 'nothing is held about this person: there is nothing to erase');
        const open = await repo.openCases([...f.cases.keys()], tx);
        if (open.length) {
          throw conflict(
            'DATA_REQUEST_CASE_OPEN',
            `case ${open.map((c) => `№${c.number}`).join(', ')} is still open: its curator or a supervisor must close it before the data can be erased`,
          );
        }
        const active = await repo.activeDispatches([...f.dispatches.keys()], tx);
        if (active.length) {
          throw conflict(
            'DATA_REQUEST_DISPATCH_ACTIVE',
            `urgent help request ${active.map((x) => `№${x.number}`).join(', ')} is still under way: wait until it is delivered or closed`,
          );
        }
        const at = now();
        const tables: TableCounts = await repo.erase(f, at, tx);
        const rows = Object.values(tables).reduce((a, b) => a + b, 0);
        const rec = await repo.createDestructionRecord(
          { runId: randomUUID(), rows, tables, categories: CATEGORIES, reference: d.r, actorId: actor.userId, actorLabel: actor.label ?? '—' },
          tx,
        );
        await audit.record(
          actor,
          'data-request.erase',
          { entity: 'DataRequest', entityId: d.r, detail: { destructionNumber: rec.number, destructionRecordId: rec.id, records: found, rows, tables } },
          tx,
        );
        return { destructionRecordId: rec.id, destructionNumber: rec.number, rows, tables };
      });
    },
  };
}
export type DataRequestsService = ReturnType<typeof dataRequestsService>;

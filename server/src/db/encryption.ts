// Encryption at rest, transparent to the rest of the code: a Prisma client extension that seals the
// fields listed in ENCRYPTED_FIELDS on every write (create, createMany, update, updateMany, upsert,
// and the same nested inside a write through any relation) and opens them on every read (with
// nested include/select). Fields with a blind index get it written beside them from the same
// plaintext, in the same statement. docs/privacy.md "Encryption at rest" is the reader's account.
//
// What it cannot see: raw SQL ($queryRaw) returns the stored ciphertext, so raw SQL never reads
// these columns for display (contacts.search.ts opens its excerpts itself), and a `where` on an
// encrypted column compares ciphertext: only `null` and '' (stored as they are) compare as before.
// Search by name goes through the *Index columns; search of notes through the *Tokens columns.
import type { PrismaClient } from '../generated/prisma/client.js';
import type { FieldCipher } from '../crypto/fields.js';

export interface FieldSpec {
  /** Column holding the blind index (keyed hash of the normalised value), for exact match. */
  index?: string;
  /** Column (text[], GIN) holding keyed hashes of the value's stemmed words, for notes search. */
  tokens?: string;
}

/** THE list of encrypted columns, per Prisma model. Everything else is stored in clear (see
 * docs/privacy.md for what is not encrypted, and why). keys:rotate walks this list too. */
export const ENCRYPTED_FIELDS: Record<string, Record<string, FieldSpec>> = {
  ContactIdentity: { name: { index: 'nameIndex' }, address: {} },
  ContactPerson: { name: { index: 'nameIndex' } },
  Contact: {
    summary: { tokens: 'summaryTokens' },
    actionsTaken: { tokens: 'actionsTokens' },
    safetyPlan: { tokens: 'planTokens' },
    riskOverrideReason: {},
    r4SignOffReason: {},
  },
  Case: {
    subjectName: { index: 'subjectNameIndex' },
    address: {},
    signalFrom: {},
    signalSummary: {},
    consentNote: {},
    checkSummary: {},
    assessmentNote: {},
    closeReasonText: {},
  },
  CaseMember: { name: { index: 'nameIndex' } },
  CaseNote: { text: {} },
  CaseGoal: { text: {} },
  CaseTask: { text: {}, ownerName: {} },
  CaseTransition: { reason: {} },
  Message: { body: {} },
  Dispatch: { recipientName: { index: 'recipientNameIndex' }, address: {}, providerNote: {}, referral: {} },
  DispatchEvent: { note: {} },
};

type Model = { fields: { name: string; kind: string; type: string }[] };
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Date);
const each = (v: unknown, fn: (o: Obj) => Obj): unknown => (Array.isArray(v) ? v.map((x) => (isObj(x) ? fn(x) : x)) : isObj(v) ? fn(v) : v);

export interface FieldCodec {
  /** The write arguments of `operation` on `model` with every listed field sealed. */
  encryptArgs(model: string, operation: string, args: unknown): unknown;
  /** A result of `model` (rows, nested relations) with every listed field opened. */
  decryptResult(model: string, result: unknown): unknown;
  /** Data for one row of `model`, sealed (and its indexes computed). */
  encryptData(model: string, data: Obj): Obj;
}

/** `relations`: model → relation field → target model, from the generated client's data model. */
export function fieldCodec(cipher: FieldCipher, relations: Record<string, Record<string, string>>): FieldCodec {
  const seal = (v: unknown) => (typeof v === 'string' && v !== '' ? cipher.encrypt(v) : v);

  const encryptData = (model: string, data: Obj): Obj => {
    const spec = ENCRYPTED_FIELDS[model];
    const rel = relations[model] ?? {};
    if (!spec && !Object.keys(rel).length) return data;
    const out: Obj = { ...data };
    for (const [key, value] of Object.entries(data)) {
      const f = spec?.[key];
      if (f) {
        // A value, null, or { set: value }.
        const plain = isObj(value) && 'set' in value ? value.set : value;
        if (plain !== undefined) {
          const text = typeof plain === 'string' ? plain : null;
          if (f.index) out[f.index] = text ? cipher.nameIndex(text) : null;
          if (f.tokens) out[f.tokens] = cipher.tokens(text);
        }
        out[key] = isObj(value) && 'set' in value ? { ...value, set: seal(value.set) } : seal(value);
        continue;
      }
      const target = rel[key];
      if (target && isObj(value)) out[key] = nested(target, value);
    }
    return out;
  };

  /** Nested write operations on a relation field. */
  const nested = (model: string, ops: Obj): Obj => {
    const out: Obj = { ...ops };
    const data = (o: Obj) => encryptData(model, o);
    const withData = (o: Obj) => ('data' in o && isObj(o.data) ? { ...o, data: data(o.data) } : o);
    if ('create' in ops) out.create = each(ops.create, data);
    if (isObj(ops.createMany)) out.createMany = { ...ops.createMany, data: each(ops.createMany.data, data) };
    if ('connectOrCreate' in ops) out.connectOrCreate = each(ops.connectOrCreate, (o) => ({ ...o, create: isObj(o.create) ? data(o.create) : o.create }));
    // To-many: { where, data } (or a list of them); to-one: the data itself, or { where?, data }.
    if ('update' in ops) out.update = each(ops.update, (o) => ('data' in o && isObj(o.data) ? withData(o) : data(o)));
    if ('updateMany' in ops) out.updateMany = each(ops.updateMany, withData);
    if ('upsert' in ops) {
      out.upsert = each(ops.upsert, (o) => ({
        ...o,
        ...(isObj(o.create) ? { create: data(o.create) } : {}),
        ...(isObj(o.update) ? { update: data(o.update) } : {}),
      }));
    }
    return out;
  };

  const encryptArgs = (model: string, operation: string, args: unknown): unknown => {
    if (!isObj(args)) return args;
    switch (operation) {
      case 'create':
      case 'update':
      case 'updateMany':
      case 'updateManyAndReturn':
        return isObj(args.data) ? { ...args, data: encryptData(model, args.data) } : args;
      case 'createMany':
      case 'createManyAndReturn':
        return { ...args, data: each(args.data, (o) => encryptData(model, o)) };
      case 'upsert':
        return {
          ...args,
          ...(isObj(args.create) ? { create: encryptData(model, args.create) } : {}),
          ...(isObj(args.update) ? { update: encryptData(model, args.update) } : {}),
        };
      default:
        return args;
    }
  };

  const decryptResult = (model: string, result: unknown): unknown => {
    if (Array.isArray(result)) return result.map((r) => decryptResult(model, r));
    if (!isObj(result)) return result;
    const spec = ENCRYPTED_FIELDS[model];
    const rel = relations[model];
    if (!spec && !rel) return result;
    for (const [key, value] of Object.entries(result)) {
      if (spec?.[key] && typeof value === 'string') result[key] = cipher.decrypt(value);
      else if (rel?.[key] && value !== null && typeof value === 'object') result[key] = decryptResult(rel[key]!, value);
    }
    return result;
  };

  return { encryptArgs, decryptResult, encryptData };
}

/** Relation fields that lead (directly or further on) to a model with encrypted fields. */
export function relationsOf(client: PrismaClient): Record<string, Record<string, string>> {
  const models = (client as unknown as { _runtimeDataModel?: { models: Record<string, Model> } })._runtimeDataModel?.models;
  if (!models) throw new Error('the Prisma client exposes no data model: encryption at rest cannot follow relations');
  const out: Record<string, Record<string, string>> = {};
  for (const [name, m] of Object.entries(models)) {
    for (const f of m.fields) if (f.kind === 'object') (out[name] ??= {})[f.name] = f.type;
  }
  return out;
}

const ciphers = new WeakMap<object, FieldCipher>();

/** The cipher of a client made by withFieldEncryption (null for any other client): for the raw SQL
 * that must hash a search term or open an excerpt itself. */
export function cipherOf(client: object): FieldCipher | null {
  return ciphers.get(client) ?? null;
}

/** The client every module uses: the same PrismaClient type (a query extension adds no methods). */
export function withFieldEncryption(client: PrismaClient, cipher: FieldCipher): PrismaClient {
  const codec = fieldCodec(cipher, relationsOf(client));
  const extended = client.$extends({
    name: 'field-encryption',
    query: {
      $allModels: {
        async $allOperations({ model, operation, args, query }) {
          const result = await query(codec.encryptArgs(model, operation, args) as typeof args);
          return codec.decryptResult(model, result);
        },
      },
    },
  }) as unknown as PrismaClient;
  ciphers.set(extended, cipher);
  return extended;
}

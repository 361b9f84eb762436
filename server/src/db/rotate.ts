// Key rotation and the first sealing of existing rows: every column of ENCRYPTED_FIELDS whose value
// is plaintext (rows from before encryption at rest) or sealed under a key id other than the
// current one is opened with the key ring (ENCRYPTION_SECRET or APP_SECRET, then ENCRYPTION_SECRET_PREVIOUS) and sealed again
// with the current one, and its blind index / word hashes are written anew, in batches of one
// transaction each. Resumable: a row sealed under the current key no longer matches, so running it
// again carries on where it stopped (and does nothing when all is done). `npm run keys:rotate`.
import type { PrismaClient } from '../generated/prisma/client.js';
import { CIPHER_PREFIX, type FieldCipher } from '../crypto/fields.js';
import { ENCRYPTED_FIELDS, fieldCodec, relationsOf } from './encryption.js';

/** Primary key of each model with encrypted fields ('id' unless named here). */
const PRIMARY_KEY: Record<string, string> = { ContactIdentity: 'contactId' };
/** Models whose updatedAt is kept as it was: re-sealing is not a change of the record. */
const KEEPS_UPDATED_AT = new Set(['ContactIdentity', 'Contact', 'Case', 'Message', 'Dispatch']);

export interface RotateProgress {
  model: string;
  done: number;
  total: number;
  /** Rows whose value could not be opened with any key in the ring (left as they are). */
  failed: number;
}

export interface RotateResult {
  models: RotateProgress[];
  rows: number;
  failed: number;
}

type Delegate = {
  count(args: unknown): Promise<number>;
  findMany(args: unknown): Promise<Record<string, unknown>[]>;
  update(args: unknown): unknown;
};

const delegateOf = (raw: PrismaClient, model: string) => (raw as unknown as Record<string, Delegate>)[model[0]!.toLowerCase() + model.slice(1)]!;

/** Rows of `model` with at least one field still to (re)seal. */
function staleWhere(model: string, kid: string) {
  const current = `${CIPHER_PREFIX}${kid}:`;
  return {
    OR: Object.keys(ENCRYPTED_FIELDS[model]!).map((f) => ({ AND: [{ [f]: { gt: '' } }, { NOT: { [f]: { startsWith: current } } }] })),
  };
}

/** `raw` is the client without the encryption extension (Database.raw). */
export async function rotateKeys(
  raw: PrismaClient,
  cipher: FieldCipher,
  opts: { batch?: number; onProgress?: (p: RotateProgress) => void } = {},
): Promise<RotateResult> {
  const batch = opts.batch ?? 500;
  const codec = fieldCodec(cipher, relationsOf(raw));
  const out: RotateResult = { models: [], rows: 0, failed: 0 };
  for (const [model, spec] of Object.entries(ENCRYPTED_FIELDS)) {
    const pk = PRIMARY_KEY[model] ?? 'id';
    const fields = Object.keys(spec);
    const delegate = delegateOf(raw, model);
    const where = staleWhere(model, cipher.kid);
    const progress: RotateProgress = { model, done: 0, total: await delegate.count({ where }), failed: 0 };
    opts.onProgress?.(progress);
    let after: string | null = null;
    for (;;) {
      const rows = await delegate.findMany({
        where: after ? { AND: [where, { [pk]: { gt: after } }] } : where,
        select: Object.fromEntries([pk, ...fields, ...(KEEPS_UPDATED_AT.has(model) ? ['updatedAt'] : [])].map((f) => [f, true])),
        orderBy: { [pk]: 'asc' },
        take: batch,
      });
      if (!rows.length) break;
      after = rows[rows.length - 1]![pk] as string;
      const updates = [];
      for (const row of rows) {
        const plain: Record<string, unknown> = {};
        try {
          for (const f of fields) plain[f] = typeof row[f] === 'string' ? cipher.decrypt(row[f] as string) : row[f];
        } catch {
          progress.failed++;
          continue;
        }
        const data = codec.encryptData(model, plain);
        if (KEEPS_UPDATED_AT.has(model)) data.updatedAt = row.updatedAt;
        updates.push(delegate.update({ where: { [pk]: row[pk] }, data, select: { [pk]: true } }));
      }
      await raw.$transaction(updates as never[]);
      progress.done += rows.length;
      opts.onProgress?.(progress);
    }
    out.models.push(progress);
    out.rows += progress.done - progress.failed;
    out.failed += progress.failed;
  }
  return out;
}

/** How many rows are still plaintext or under an old key (for a check before retiring a secret). */
export async function staleRows(raw: PrismaClient, cipher: FieldCipher): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const model of Object.keys(ENCRYPTED_FIELDS)) out[model] = await delegateOf(raw, model).count({ where: staleWhere(model, cipher.kid) });
  return out;
}

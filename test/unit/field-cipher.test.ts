// The field cipher of encryption at rest (server/src/crypto/fields.ts): AES-256-GCM with a key id,
// tamper and wrong-key detection, the key ring for rotation, blind indexes and stemmed word hashes.
import { describe, expect, it } from 'vitest';
import { CIPHER_PREFIX, FieldDecryptError, fieldCipher, normaliseName, stemmedWords } from '../../server/src/crypto/fields.js';
import { fieldCodec } from '../../server/src/db/encryption.js';

const A = 'first-application-secret-0123456789abcdef';
const B = 'second-application-secret-0123456789abcdef';

describe('field cipher', () => {
  it('seals with a fresh IV and the key id, and opens what it sealed', () => {
    const c = fieldCipher({ appSecret: A });
    const one = c.encrypt('Анна Иванова');
    const two = c.encrypt('Анна Иванова');
    expect(one).not.toBe(two);
    expect(one.startsWith(`${CIPHER_PREFIX}${c.kid}:`)).toBe(true);
    expect(one).not.toContain('Анна');
    expect(c.decrypt(one)).toBe('Анна Иванова');
    expect(c.kidOf(one)).toBe(c.kid);
  });

  it('refuses a tampered value', () => {
    const c = fieldCipher({ appSecret: A });
    const sealed = c.encrypt('ул. Ленина, 1');
    const body = sealed.slice(sealed.lastIndexOf(':') + 1);
    const raw = Buffer.from(body, 'base64url');
    raw[raw.length - 1] = raw[raw.length - 1]! ^ 1;
    expect(() => c.decrypt(sealed.slice(0, sealed.lastIndexOf(':') + 1) + raw.toString('base64url'))).toThrow(FieldDecryptError);
    expect(() => c.decrypt(`${CIPHER_PREFIX}${c.kid}:AAAA`)).toThrow(/malformed/);
  });

  it('refuses a value of an unknown key id, and opens an old one with APP_SECRET_PREVIOUS', () => {
    const old = fieldCipher({ appSecret: A });
    const sealed = old.encrypt('Петя');
    expect(() => fieldCipher({ appSecret: B }).decrypt(sealed)).toThrow(/unknown key id/);
    const ring = fieldCipher({ appSecret: B, previous: [A] });
    expect(ring.kid).not.toBe(old.kid);
    expect(ring.kids).toEqual([ring.kid, old.kid]);
    expect(ring.decrypt(sealed)).toBe('Петя');
    expect(ring.kidOf(ring.encrypt('x'))).toBe(ring.kid);
    // A forged kid that matches the ring but with another key's ciphertext fails authentication.
    const forged = sealed.replace(old.kid, ring.kid);
    expect(() => ring.decrypt(forged)).toThrow(/authentication failed/);
  });

  it('returns legacy plaintext as it is', () => {
    expect(fieldCipher({ appSecret: A }).decrypt('plain text')).toBe('plain text');
  });

  it('blind index: normalised name, keyed, the same for case, ё and spaces; every key in the ring', () => {
    const c = fieldCipher({ appSecret: A });
    expect(normaliseName('  Пётр   ИВАНОВ ')).toBe('петр иванов');
    expect(c.nameIndex('Пётр Иванов')).toBe(c.nameIndex(' петр  иванов'));
    expect(c.nameIndex('Пётр Иванов')).not.toBe(c.nameIndex('Пётр Иванова'));
    expect(c.nameIndex('')).toBeNull();
    expect(c.nameIndex('Пётр Иванов')).not.toBe(fieldCipher({ appSecret: B }).nameIndex('Пётр Иванов'));
    expect(fieldCipher({ appSecret: B, previous: [A] }).nameIndexes('Пётр Иванов')).toContain(c.nameIndex('Пётр Иванов'));
  });

  it('stems Russian and English words, and hashes them so that no word shows', () => {
    expect(stemmedWords('голодает')).toEqual(stemmedWords('голодать'));
    expect(stemmedWords('травлю')).toEqual(stemmedWords('травля'));
    expect(stemmedWords('benefits')).toEqual(stemmedWords('benefit'));
    const c = fieldCipher({ appSecret: A });
    const tokens = c.tokens('Мальчик голодает, benefits!');
    expect(tokens).toHaveLength(3);
    expect(tokens.join(' ')).not.toMatch(/голод|benefit|мальчик/i);
    expect(c.queryTokens('голодать')[0]).toContain(c.tokens('голодает')[0]);
  });
});

describe('field codec', () => {
  const c = fieldCipher({ appSecret: A });
  const codec = fieldCodec(c, { Contact: { identity: 'ContactIdentity', people: 'ContactPerson' } });

  it('seals nested creates, upserts and createMany, with the blind index beside the name', () => {
    const args = codec.encryptArgs('Contact', 'update', {
      where: { id: 'x' },
      data: {
        summary: 'Мальчик голодает',
        identity: { upsert: { create: { name: 'Анна', address: 'ул. Ленина' }, update: { name: { set: 'Анна' } } } },
        people: { deleteMany: {}, createMany: { data: [{ relation: 'son', name: 'Петя' }] } },
      },
    }) as { data: Record<string, any> };
    expect(args.data.summary.startsWith(CIPHER_PREFIX)).toBe(true);
    expect(args.data.summaryTokens).toHaveLength(2);
    expect(args.data.identity.upsert.create.name.startsWith(CIPHER_PREFIX)).toBe(true);
    expect(args.data.identity.upsert.create.nameIndex).toBe(c.nameIndex('анна'));
    expect(args.data.identity.upsert.update.name.set.startsWith(CIPHER_PREFIX)).toBe(true);
    expect(args.data.people.createMany.data[0].nameIndex).toBe(c.nameIndex('Петя'));
    expect(JSON.stringify(args)).not.toMatch(/Анна|Петя|Ленина|голод/);
    const back = codec.decryptResult('Contact', {
      summary: args.data.summary,
      identity: { name: args.data.identity.upsert.create.name },
      people: [{ name: args.data.people.createMany.data[0].name }],
    });
    expect(back).toEqual({ summary: 'Мальчик голодает', identity: { name: 'Анна' }, people: [{ name: 'Петя' }] });
  });

  it('leaves null and empty strings as they are (retention clears with them)', () => {
    const args = codec.encryptArgs('ContactIdentity', 'updateMany', { where: {}, data: { name: null, address: '' } }) as { data: Record<string, unknown> };
    expect(args.data).toEqual({ name: null, nameIndex: null, address: '' });
  });
});

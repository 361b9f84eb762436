// Encryption at rest of personal fields (names, addresses, family members, notes, message bodies)
// and the blind indexes that let them be searched without the plaintext. See docs/privacy.md
// "Encryption at rest".
//
// Ciphertext: `enc:v1:<kid>:<base64url(iv ‖ tag ‖ ciphertext)>`, AES-256-GCM with a 12-byte random
// IV. The key is HKDF(ENCRYPTION_SECRET or APP_SECRET, 'field-encryption'); the key id (kid) is the first 8 hex digits
// of an HMAC of the key, so a new secret gives a new kid by itself and `npm run keys:rotate`
// finds rows still sealed under an old one. Old secrets are listed in ENCRYPTION_SECRET_PREVIOUS and are
// used only to open, never to seal.
//
// Blind indexes are HMAC-SHA256 (key HKDF(ENCRYPTION_SECRET or APP_SECRET, 'blind-index')), cut to 128 bits: of a
// normalised name (exact match) and of each normalised, stemmed word of a note. A search hashes
// its terms under the current key and every previous one, so search keeps working between a
// secret change and the end of the rotation.
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import snowball from 'snowball-stemmers';
import { deriveKey } from './keys.js';

export const CIPHER_PREFIX = 'enc:v1:';

export class FieldDecryptError extends Error {
  constructor(reason: string) {
    super(`encrypted field cannot be opened: ${reason}`);
    this.name = 'FieldDecryptError';
  }
}

interface Key {
  kid: string;
  enc: Buffer;
  index: Buffer;
}

export interface FieldCipher {
  /** Key id of the sealing key. */
  readonly kid: string;
  /** Every kid this cipher can open (current first). */
  readonly kids: readonly string[];
  encrypt(text: string): string;
  /** Opens a sealed value; a value without the prefix is legacy plaintext and comes back as it is.
   * Throws FieldDecryptError when the value was altered or its key is unknown. */
  decrypt(value: string): string;
  isEncrypted(value: string): boolean;
  /** Key id a sealed value was made with (null: plaintext). */
  kidOf(value: string): string | null;
  /** Blind index of a name under the current key (null for an empty name). */
  nameIndex(name: string | null | undefined): string | null;
  /** The same under every key in the ring (for search during a rotation). */
  nameIndexes(name: string): string[];
  /** Keyed hashes of the distinct normalised, stemmed words of a text, current key. */
  tokens(text: string | null | undefined): string[];
  /** For each word of a query, its hashes under every key: a row matches a word when it holds any. */
  queryTokens(text: string): string[][];
}

export interface FieldKeys {
  appSecret: string;
  /** Secrets used before; values sealed with them are still opened, and re-sealed by keys:rotate. */
  previous?: readonly string[];
}

function makeKey(secret: string): Key {
  const enc = deriveKey(secret, 'field-encryption');
  const kid = createHmac('sha256', enc).update('kid').digest('hex').slice(0, 8);
  return { kid, enc, index: deriveKey(secret, 'blind-index') };
}

/** Lower case, ё→е, trimmed, runs of white space collapsed to one space. */
export function normaliseName(name: string): string {
  return name.normalize('NFC').toLowerCase().replace(/ё/g, 'е').trim().replace(/\s+/g, ' ');
}

const ru = snowball.newStemmer('russian');
const en = snowball.newStemmer('english');
const CYRILLIC = /[а-я]/;

/** The words of a text as the index holds them: lower case, ё→е, split on anything not a letter
 * or digit, words of one character dropped, each stemmed by the Snowball stemmer of its script
 * (Russian for Cyrillic, English otherwise). */
export function stemmedWords(text: string): string[] {
  const words = text
    .normalize('NFC')
    .toLowerCase()
    .replace(/ё/g, 'е')
    .split(/[^\p{L}\p{N}]+/u);
  const out = new Set<string>();
  for (const w of words) {
    if (w.length < 2) continue;
    out.add(CYRILLIC.test(w) ? ru.stem(w) : en.stem(w));
  }
  return [...out];
}

const hmac = (key: Buffer, purpose: string, value: string) => createHmac('sha256', key).update(`${purpose}\u0000${value}`).digest('base64url').slice(0, 22);

export function fieldCipher(keys: FieldKeys): FieldCipher {
  const ring = [keys.appSecret, ...(keys.previous ?? [])].filter((s, i, a) => s && a.indexOf(s) === i).map(makeKey);
  const current = ring[0]!;
  const byKid = new Map(ring.map((k) => [k.kid, k] as const));

  const encrypt = (text: string) => {
    const iv = randomBytes(12);
    const c = createCipheriv('aes-256-gcm', current.enc, iv);
    const ct = Buffer.concat([c.update(text, 'utf8'), c.final()]);
    return `${CIPHER_PREFIX}${current.kid}:${Buffer.concat([iv, c.getAuthTag(), ct]).toString('base64url')}`;
  };
  const kidOf = (value: string) => (value.startsWith(CIPHER_PREFIX) ? value.slice(CIPHER_PREFIX.length, CIPHER_PREFIX.length + 8) : null);
  const decrypt = (value: string) => {
    if (!value.startsWith(CIPHER_PREFIX)) return value;
    const rest = value.slice(CIPHER_PREFIX.length);
    const sep = rest.indexOf(':');
    if (sep !== 8) throw new FieldDecryptError('malformed');
    const key = byKid.get(rest.slice(0, sep));
    if (!key) throw new FieldDecryptError(`unknown key id ${rest.slice(0, sep)} (is ENCRYPTION_SECRET_PREVIOUS set?)`);
    const raw = Buffer.from(rest.slice(sep + 1), 'base64url');
    if (raw.length < 28) throw new FieldDecryptError('malformed');
    try {
      const d = createDecipheriv('aes-256-gcm', key.enc, raw.subarray(0, 12));
      d.setAuthTag(raw.subarray(12, 28));
      return Buffer.concat([d.update(raw.subarray(28)), d.final()]).toString('utf8');
    } catch {
      throw new FieldDecryptError('authentication failed (altered, or sealed with another key)');
    }
  };
  const nameWith = (k: Key, name: string) => hmac(k.index, 'name', normaliseName(name));
  const wordWith = (k: Key, word: string) => hmac(k.index, 'word', word);
  return {
    kid: current.kid,
    kids: ring.map((k) => k.kid),
    encrypt,
    decrypt,
    isEncrypted: (v) => v.startsWith(CIPHER_PREFIX),
    kidOf,
    nameIndex: (name) => (name && normaliseName(name) ? nameWith(current, name) : null),
    nameIndexes: (name) => ring.map((k) => nameWith(k, name)),
    tokens: (text) =>
      text
        ? stemmedWords(text)
            .map((w) => wordWith(current, w))
            .sort()
        : [],
    queryTokens: (text) => stemmedWords(text).map((w) => ring.map((k) => wordWith(k, w))),
  };
}

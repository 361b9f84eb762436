// Phone numbers are kept two ways (invariant 4): a keyed hash (HMAC-SHA256) to recognise a
// repeat caller without the number, and AES-256-GCM ciphertext for an authorised call-back.
// Consoles never see a digit of it: they see a label derived from the hash (`label`), and the
// number only through the audited break-glass reveal (modules/callers).
import { createHmac } from 'node:crypto';
import { deriveKey } from './keys.js';
import { sealer } from './seal.js';

export interface PhoneCrypto {
  /** Stable keyed hash of the normalised number (hex). */
  hash(phone: string): string;
  /** `v1:<iv>:<tag>:<ciphertext>`, base64url parts. */
  encrypt(phone: string): string;
  decrypt(sealed: string): string;
  /** The caller's label (`K-HXRDW`) from a hash this object made; null for a withheld number, or
   * for a hash that retention erased. */
  label(hash: string): string | null;
}

/** E.164-ish normalisation: keep a leading +, drop spaces, dashes, brackets and dots. */
export function normalisePhone(raw: string): string {
  const trimmed = raw.trim();
  const plus = trimmed.startsWith('+');
  const digits = trimmed.replace(/[^\d]/g, '');
  return plus ? `+${digits}` : digits;
}

/** `+7 *** *** 45 67` style: country code and last four digits, the rest hidden. */
export function maskPhone(raw: string | null | undefined): string {
  if (!raw) return 'unknown';
  const n = normalisePhone(raw);
  if (n.length < 6) return '•••';
  const last4 = n.slice(-4);
  const cc = n.startsWith('+') ? n.slice(0, n.length > 11 ? n.length - 10 : 2) : '';
  return `${cc}•••••${last4}`.trim();
}

// Letters only, and neither I nor O: a label must not hold a digit or anything read as one, so no
// one can take it for part of the number (invariant 4: no digit is shown).
const LABEL_LETTERS = 'ABCDEFGHJKLMNPQRSTUVWXYZ';
// Five letters (24^5 ≈ 8 million codes): among ten thousand callers a handful of pairs share a
// label, which is harmless (history and reveal go by the full hash) but rare enough to tell people apart.
const LABEL_LENGTH = 5;

/** A stable label for the caller behind a keyed hash (hex, as `PhoneCrypto.hash` makes it): `K-` and
 * five letters. It is derived from the keyed hash, so it says nothing about the number itself and
 * cannot be reversed without the application secret. The `K-` is language-neutral; the console
 * puts the translated word before it ("Caller K-HXRDW", «Абонент K-HXRDW»). */
export function callerLabel(hash: string): string {
  if (!/^[0-9a-f]{16,}$/i.test(hash)) throw new Error('callerLabel needs a hex hash');
  // The first 40 bits of an HMAC-SHA256 are uniform; take them as one number and spell it in base 24.
  let n = Number.parseInt(hash.slice(0, 10), 16);
  let code = '';
  for (let i = 0; i < LABEL_LENGTH; i++) {
    code += LABEL_LETTERS[n % LABEL_LETTERS.length];
    n = Math.floor(n / LABEL_LETTERS.length);
  }
  return `K-${code}`;
}

export function phoneCrypto(appSecret: string): PhoneCrypto {
  const hashKey = deriveKey(appSecret, 'phone-hash');
  const box = sealer(deriveKey(appSecret, 'phone-encryption'));
  const hash = (phone: string) => createHmac('sha256', hashKey).update(normalisePhone(phone)).digest('hex');
  // A withheld number ('anonymous', or none) normalises to '' and so shares one hash: it is no one
  // in particular, and must not get a label that suggests a repeat caller.
  const withheld = hash('');
  return {
    hash,
    label: (h) => (h === withheld || !/^[0-9a-f]{16,}$/i.test(h) ? null : callerLabel(h)),
    encrypt: (phone) => box.seal(normalisePhone(phone)),
    decrypt: (sealed) => box.open(sealed),
  };
}

// Phone numbers are kept two ways (invariant 4): a keyed hash (HMAC-SHA256) to recognise a
// repeat caller without the number, and AES-256-GCM ciphertext for an authorised call-back.
// Consoles only ever see the masked form.
import { createHmac } from 'node:crypto';
import { deriveKey } from './keys.js';
import { sealer } from './seal.js';

export interface PhoneCrypto {
  /** Stable keyed hash of the normalised number (hex). */
  hash(phone: string): string;
  /** `v1:<iv>:<tag>:<ciphertext>`, base64url parts. */
  encrypt(phone: string): string;
  decrypt(sealed: string): string;
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

export function phoneCrypto(appSecret: string): PhoneCrypto {
  const hashKey = deriveKey(appSecret, 'phone-hash');
  const box = sealer(deriveKey(appSecret, 'phone-encryption'));
  return {
    hash: (phone) => createHmac('sha256', hashKey).update(normalisePhone(phone)).digest('hex'),
    encrypt: (phone) => box.seal(normalisePhone(phone)),
    decrypt: (sealed) => box.open(sealed),
  };
}

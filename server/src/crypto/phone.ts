// Phone numbers are kept two ways (invariant 4): a keyed hash (HMAC-SHA256) to recognise a
// repeat caller without the number, and AES-256-GCM ciphertext for an authorised call-back.
// Consoles only ever see the masked form.
import { createCipheriv, createDecipheriv, createHmac, randomBytes } from 'node:crypto';
import { deriveKey } from './keys.js';

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
  const encKey = deriveKey(appSecret, 'phone-encryption');
  return {
    hash: (phone) => createHmac('sha256', hashKey).update(normalisePhone(phone)).digest('hex'),
    encrypt(phone) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', encKey, iv);
      const ct = Buffer.concat([cipher.update(normalisePhone(phone), 'utf8'), cipher.final()]);
      return ['v1', iv.toString('base64url'), cipher.getAuthTag().toString('base64url'), ct.toString('base64url')].join(':');
    },
    decrypt(sealed) {
      const [v, iv, tag, ct] = sealed.split(':');
      if (v !== 'v1' || !iv || !tag || !ct) throw new Error('not a sealed phone number');
      const decipher = createDecipheriv('aes-256-gcm', encKey, Buffer.from(iv, 'base64url'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(ct, 'base64url')), decipher.final()]).toString('utf8');
    },
  };
}

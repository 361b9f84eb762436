// Every key is derived from the one APP_SECRET with HKDF, one purpose label each, so that keys
// are independent and an operator manages a single secret.
import { hkdfSync } from 'node:crypto';

export type KeyPurpose =
  | 'csrf'
  | 'phone-hash'
  | 'phone-encryption'
  | 'signed-links'
  | 'wallboard-token'
  | 'inbound-spool'
  | 'totp-secret'
  /** Personal fields at rest and their blind indexes (server/src/crypto/fields.ts). */
  | 'field-encryption'
  | 'blind-index';

export function deriveKey(appSecret: string, purpose: KeyPurpose, bytes = 32): Buffer {
  return Buffer.from(hkdfSync('sha256', appSecret, 'trustline', `trustline:${purpose}`, bytes));
}

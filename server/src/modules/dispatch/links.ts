// Signed, expiring links for providers, who have no account: the link names one offer and an
// expiry, and carries an HMAC (key: deriveKey(appSecret, 'signed-links')). A changed character
// fails the check; an expired link is refused even with a good signature.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { deriveKey } from '../../crypto/keys.js';

export type LinkCheck = { ok: true; offerId: string; expiresAt: Date } | { ok: false; reason: 'tampered' | 'expired' };

export function linkSigner(appSecret: string) {
  const key = deriveKey(appSecret, 'signed-links');
  const mac = (offerId: string, exp: string) =>
    createHmac('sha256', key).update(`dispatch-offer:${offerId}:${exp}`).digest().subarray(0, 18).toString('base64url');
  return {
    sign(offerId: string, expiresAt: Date): string {
      const exp = Math.floor(expiresAt.getTime() / 1000).toString(36);
      return `${offerId.replaceAll('-', '')}.${exp}.${mac(offerId, exp)}`;
    },
    verify(token: string, now = new Date()): LinkCheck {
      const m = /^([0-9a-f]{32})\.([0-9a-z]{1,10})\.([A-Za-z0-9_-]{24})$/.exec(token);
      if (!m) return { ok: false, reason: 'tampered' };
      const hex = m[1]!;
      const offerId = `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
      const expected = Buffer.from(mac(offerId, m[2]!));
      const given = Buffer.from(m[3]!);
      if (expected.length !== given.length || !timingSafeEqual(expected, given)) return { ok: false, reason: 'tampered' };
      const expiresAt = new Date(parseInt(m[2]!, 36) * 1000);
      if (expiresAt.getTime() <= now.getTime()) return { ok: false, reason: 'expired' };
      return { ok: true, offerId, expiresAt };
    },
  };
}
export type LinkSigner = ReturnType<typeof linkSigner>;

import { describe, expect, it } from 'vitest';
import { linkSigner } from '../../server/src/modules/dispatch/links.js';

const signer = linkSigner('unit-test-secret-that-is-long-enough-0123456789');
const offerId = '3f0c1d2e-4b5a-4c6d-8e7f-0123456789ab';
const now = new Date('2026-11-24T10:00:00Z');
const later = new Date('2026-11-24T12:00:00Z');

describe('signed provider links', () => {
  it('verifies its own link until it expires', () => {
    const token = signer.sign(offerId, later);
    expect(signer.verify(token, now)).toEqual({ ok: true, offerId, expiresAt: later });
    expect(signer.verify(token, new Date('2026-11-24T12:00:01Z'))).toEqual({ ok: false, reason: 'expired' });
  });

  it.each([
    ['a changed character in the signature', (t: string) => t.slice(0, -1) + (t.endsWith('A') ? 'B' : 'A')],
    ['another offer id', (t: string) => t.replace(/^./, (c) => (c === 'a' ? 'b' : 'a'))],
    ['a later expiry', (t: string) => t.replace(/\.([0-9a-z]+)\./, (_m, e: string) => `.${(parseInt(e, 36) + 3600).toString(36)}.`)],
    ['a cut-off link', (t: string) => t.slice(0, 40)],
    ['garbage', () => '../../etc/passwd'],
  ])('refuses %s as tampered', (_name, change) => {
    expect(signer.verify(change(signer.sign(offerId, later)), now)).toEqual({ ok: false, reason: 'tampered' });
  });

  it('does not verify a link signed with another secret', () => {
    const other = linkSigner('another-secret-that-is-long-enough-0123456789xx');
    expect(signer.verify(other.sign(offerId, later), now)).toEqual({ ok: false, reason: 'tampered' });
  });
});

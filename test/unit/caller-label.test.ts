// The caller's label: stable for one number, different across numbers, never a digit, and no
// label for a withheld number (they all share one hash).
import { describe, expect, it } from 'vitest';
import { callerLabel, phoneCrypto } from '../../server/src/crypto/phone.js';

const phones = phoneCrypto('unit-test-secret-that-is-long-enough-0123456789');

describe('caller label', () => {
  it('is the same for one number however it is written, and for the same secret', () => {
    const a = phones.label(phones.hash('+7 916 123-45-67'))!;
    expect(a).toMatch(/^K-[A-HJ-NP-Z]{5}$/);
    expect(phones.label(phones.hash('+79161234567'))).toBe(a);
    expect(phoneCrypto('unit-test-secret-that-is-long-enough-0123456789').label(phones.hash('+79161234567'))).toBe(a);
  });

  it('never holds a digit, nor I or O, across many numbers', () => {
    const labels = new Set<string>();
    for (let i = 0; i < 2000; i++) {
      const label = phones.label(phones.hash(`+7916${String(1_000_000 + i * 37)}`))!;
      expect(label).not.toMatch(/[0-9IO]/);
      expect(label).toHaveLength(7);
      labels.add(label);
    }
    // 24^5 codes: two thousand numbers should all but never share one.
    expect(labels.size).toBeGreaterThanOrEqual(1998);
  });

  it('differs under another secret, so it cannot be worked out from the number alone', () => {
    const other = phoneCrypto('another-secret-that-is-long-enough-9876543210');
    expect(other.label(other.hash('+79161234567'))).not.toBe(phones.label(phones.hash('+79161234567')));
  });

  it('gives no label to a withheld number', () => {
    expect(phones.label(phones.hash('anonymous'))).toBeNull();
    expect(phones.label(phones.hash(''))).toBeNull();
  });

  it('refuses something that is not a hash rather than label a raw number', () => {
    expect(() => callerLabel('+79161234567')).toThrow(/hex hash/);
  });
});

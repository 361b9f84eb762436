import argon2 from 'argon2';

// argon2id with the library's defaults (m=64 MiB, t=3, p=4), which meet OWASP's guidance.
export const hashPassword = (password: string) => argon2.hash(password, { type: argon2.argon2id });
export const verifyPassword = (hash: string, password: string) => argon2.verify(hash, password).catch(() => false);

/** A hash of a random password, verified against when the username does not exist, so that a
 * failed sign-in takes the same time whether or not the account exists. */
let decoy: Promise<string> | undefined;
export const decoyHash = () => (decoy ??= hashPassword(crypto.randomUUID()));

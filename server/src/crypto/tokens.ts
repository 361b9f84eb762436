import { createHash, randomBytes } from 'node:crypto';

/** A random bearer secret (cookie value, setup token) and the id it is stored under. */
export function newSecret(): { secret: string; id: string } {
  const secret = randomBytes(32).toString('base64url');
  return { secret, id: secretId(secret) };
}

/** Only the SHA-256 of a secret is stored: reading the table does not yield usable secrets. */
export const secretId = (secret: string) => createHash('sha256').update(secret).digest('hex');

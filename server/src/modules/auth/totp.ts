// The second factor: RFC 6238 codes (otplib) from a secret sealed at rest with a key derived from
// APP_SECRET, one-time recovery codes stored as SHA-256, and the enrolment QR made here (qrcode,
// SVG, no network). A code is accepted one 30-second step either side of now, and never twice.
import { createHash, randomInt } from 'node:crypto';
import { generate, generateSecret, generateURI, verify } from 'otplib';
import QRCode from 'qrcode';
import { deriveKey } from '../../crypto/keys.js';
import { sealer } from '../../crypto/seal.js';

export const TOTP_PERIOD_S = 30;
const RECOVERY_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
export const RECOVERY_CODE_COUNT = 10;

export const isRecoveryCode = (code: string) => /^[a-z0-9]{5}-[a-z0-9]{5}$/.test(code);
export const hashRecoveryCode = (code: string) => createHash('sha256').update(`trustline-recovery:${code.toLowerCase()}`).digest('hex');

export function newRecoveryCodes() {
  const pick = () => Array.from({ length: 5 }, () => RECOVERY_ALPHABET[randomInt(RECOVERY_ALPHABET.length)]).join('');
  const codes = Array.from({ length: RECOVERY_CODE_COUNT }, () => `${pick()}-${pick()}`);
  return { codes, hashes: codes.map(hashRecoveryCode) };
}

export function totpCodec(appSecret: string, issuer: string) {
  const box = sealer(deriveKey(appSecret, 'totp-secret'));
  return {
    newSecret: () => generateSecret(),
    seal: (secret: string) => box.seal(secret),
    open: (sealed: string) => box.open(sealed),
    async enrolment(secret: string, username: string) {
      const otpauthUrl = generateURI({ issuer, label: username, secret });
      const svg = await QRCode.toString(otpauthUrl, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
      return { secret, otpauthUrl, qrDataUrl: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}` };
    },
    /** The time step the code belongs to (±1 step), or null when wrong or not after `afterStep`. */
    async check(secret: string, code: string, afterStep: number | null, nowMs = Date.now()): Promise<number | null> {
      if (!/^\d{6}$/.test(code)) return null;
      const result = await verify({
        secret,
        token: code,
        epoch: Math.floor(nowMs / 1000),
        epochTolerance: TOTP_PERIOD_S,
        ...(afterStep !== null ? { afterTimeStep: afterStep } : {}),
      }).catch(() => ({ valid: false as const }));
      return result.valid && 'timeStep' in result ? result.timeStep : null;
    },
  };
}
export type TotpCodec = ReturnType<typeof totpCodec>;

/** A code for `secret` at `nowMs` (tests and the CLI's self-check). */
export const totpCode = (secret: string, nowMs = Date.now()) => generate({ secret, epoch: Math.floor(nowMs / 1000) });

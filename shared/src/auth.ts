import { z } from 'zod';
import { Role } from './roles.js';

export const Username = z
  .string()
  .trim()
  .min(3, 'username must be at least 3 characters')
  .max(64, 'username must be at most 64 characters')
  .regex(/^[a-z0-9._-]+$/i, 'username may hold only letters, digits, dot, dash and underscore');

/** Long passphrases are welcome; very short ones are refused. */
export const Password = z.string().min(10, 'password must be at least 10 characters').max(256, 'password must be at most 256 characters');

export const Locale = z.enum(['ru', 'en']);
export type Locale = z.infer<typeof Locale>;

export const LoginBody = z.object({
  username: z.string().trim().min(1, 'username is required').max(64),
  password: z.string().min(1, 'password is required').max(256),
});
export type LoginBody = z.infer<typeof LoginBody>;

export const SessionUser = z.object({
  id: z.uuid(),
  username: z.string(),
  displayName: z.string(),
  roles: z.array(Role),
  locale: Locale.nullable(),
});
export type SessionUser = z.infer<typeof SessionUser>;

/** What `GET /api/auth/me` and a successful login return. `csrfToken` goes back in `x-csrf-token`. */
export const Me = z.object({ user: SessionUser, csrfToken: z.string() });
export type Me = z.infer<typeof Me>;

export const SetupStatus = z.object({ needsSetup: z.boolean() });
export type SetupStatus = z.infer<typeof SetupStatus>;

export const SetupBody = z.object({
  token: z.string().min(1, 'token is required'),
  username: Username,
  displayName: z.string().trim().min(1, 'display name is required').max(120),
  password: Password,
});
export type SetupBody = z.infer<typeof SetupBody>;

/** What `POST /api/auth/login` answers after a right password when a second step is due: no
 * session yet, only a short-lived pending sign-in (an HttpOnly cookie). `totp`: type the code
 * from the authenticator app; `enrol`: this role must use two-factor sign-in, set it up now. */
export const LoginPending = z.object({ next: z.enum(['totp', 'enrol']) });
export type LoginPending = z.infer<typeof LoginPending>;

export const LoginResult = z.union([Me, LoginPending]);
export type LoginResult = z.infer<typeof LoginResult>;

/** A six-digit code from an authenticator app, or a one-time recovery code (xxxxx-xxxxx). */
export const TotpCodeBody = z.object({
  code: z
    .string()
    .trim()
    .transform((c) => c.replace(/\s+/g, '').toLowerCase())
    .pipe(z.string().regex(/^(\d{6}|[a-z0-9]{5}-[a-z0-9]{5})$/, 'code must be the 6 digits from the authenticator app, or a recovery code')),
});
export type TotpCodeBody = z.infer<typeof TotpCodeBody>;

/** A new secret to put into an authenticator app; it takes effect once confirmed with a code. */
export const TotpEnrolment = z.object({
  secret: z.string(),
  otpauthUrl: z.string(),
  /** The otpauth URL as a QR code, an SVG image in a data: URL (made on the server, no network). */
  qrDataUrl: z.string(),
});
export type TotpEnrolment = z.infer<typeof TotpEnrolment>;

/** One-time recovery codes, shown once when two-factor sign-in is set up. */
export const RecoveryCodes = z.object({ recoveryCodes: z.array(z.string()) });

/** Answer to confirming enrolment: during sign-in it also signs in (Me). */
export const TotpConfirmed = z.object({ recoveryCodes: z.array(z.string()), user: SessionUser.optional(), csrfToken: z.string().optional() });
export type TotpConfirmed = z.infer<typeof TotpConfirmed>;

export const SecurityStatus = z.object({
  totpEnabled: z.boolean(),
  /** The user's role requires two-factor sign-in: it cannot be turned off. */
  totpRequired: z.boolean(),
  recoveryCodesLeft: z.number().int(),
  idleMinutes: z.number().int(),
});
export type SecurityStatus = z.infer<typeof SecurityStatus>;

export const SessionInfo = z.object({
  id: z.string(),
  current: z.boolean(),
  createdAt: z.iso.datetime(),
  lastSeenAt: z.iso.datetime(),
  ip: z.string().nullable(),
  userAgent: z.string().nullable(),
});
export type SessionInfo = z.infer<typeof SessionInfo>;

export const SessionIdParams = z.object({ sessionId: z.string().regex(/^[0-9a-f]{64}$/, 'sessionId must be 64 hex digits') });
export const UserSessionParams = z.object({
  id: z.uuid('id must be a UUID'),
  sessionId: z.string().regex(/^[0-9a-f]{64}$/, 'sessionId must be 64 hex digits'),
});

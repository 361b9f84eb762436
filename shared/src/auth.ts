import { z } from 'zod';
import { Role } from './roles.js';

export const Username = z
  .string()
  .trim()
  .min(3, 'username must be at least 3 characters')
  .max(64, 'username must be at most 64 characters')
  .regex(/^[a-z0-9._-]+$/i, 'username may hold only letters, digits, dot, dash and underscore');

/** Long passphrases are welcome; very short ones are refused. */
export const Password = z
  .string()
  .min(10, 'password must be at least 10 characters')
  .max(256, 'password must be at most 256 characters');

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

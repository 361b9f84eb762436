import { z } from 'zod';
import { Role } from './roles.js';
import { Locale, Password, Username } from './auth.js';

export const UserSummary = z.object({
  id: z.uuid(),
  username: z.string(),
  displayName: z.string(),
  roles: z.array(Role),
  active: z.boolean(),
  locale: Locale.nullable(),
  createdAt: z.iso.datetime(),
  lastSignInAt: z.iso.datetime().nullable(),
  /** Two-factor sign-in is set up. */
  totpEnabled: z.boolean(),
});
export type UserSummary = z.infer<typeof UserSummary>;

/** A colleague as every signed-in console may see them (names on presence lists, transfer targets). */
export const StaffMember = z.object({
  id: z.uuid(),
  displayName: z.string(),
  roles: z.array(Role),
});
export type StaffMember = z.infer<typeof StaffMember>;

const Roles = z.array(Role).min(1, 'at least one role is required').max(4);

export const CreateUserBody = z.object({
  username: Username,
  displayName: z.string().trim().min(1, 'display name is required').max(120),
  password: Password,
  roles: Roles,
  locale: Locale.nullable().optional(),
});
export type CreateUserBody = z.infer<typeof CreateUserBody>;

export const UpdateUserBody = z
  .object({
    displayName: z.string().trim().min(1, 'display name is required').max(120).optional(),
    roles: Roles.optional(),
    active: z.boolean().optional(),
    locale: Locale.nullable().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'nothing to change' });
export type UpdateUserBody = z.infer<typeof UpdateUserBody>;

export const ResetPasswordBody = z.object({ password: Password });
export type ResetPasswordBody = z.infer<typeof ResetPasswordBody>;

export const UserIdParams = z.object({ id: z.uuid('id must be a UUID') });

import { z } from 'zod';

/** Staff roles. A user may hold several. `public` is not a role: it marks routes open to anyone. */
export const ROLES = ['operator', 'coordinator', 'supervisor', 'admin'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

/** Who may call a route or a socket command. Every one declares this; there is no default. */
export type Access = 'public' | 'authenticated' | readonly Role[];

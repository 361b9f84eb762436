import { z } from 'zod';

/** Staff roles. A user may hold several. `public` is not a role: it marks routes open to anyone. */
/** `curator` holds family cases (docs/decisions/0010-curator-role.md). */
/** `wallboard` is a read-only wall screen (kiosk): the live wallboard only (docs/wallboard.md). */
export const ROLES = ['operator', 'coordinator', 'supervisor', 'admin', 'curator', 'wallboard'] as const;
export const Role = z.enum(ROLES);
export type Role = z.infer<typeof Role>;

/** Who may call a route or a socket command. Every one declares this; there is no default. */
export type Access = 'public' | 'authenticated' | readonly Role[];

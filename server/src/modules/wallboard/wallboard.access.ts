import type { Role } from '@trustline/shared';

/** Who may watch the wallboard (`wallboard` is the read-only wall-screen role). */
export const WALLBOARD_VIEWERS: readonly Role[] = ['supervisor', 'admin', 'wallboard'];
/** Who may act from it (assign, change a state, acknowledge, message operators). */
export const WALLBOARD_ACTORS: readonly Role[] = ['supervisor', 'admin'];

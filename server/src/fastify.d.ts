import type { Access } from '@trustline/shared';
import type { Config } from './config.js';
import type { Actor } from './modules/audit/audit.service.js';
import type { ResolvedSession } from './modules/auth/auth.service.js';
import type { Services } from './kernel.js';

declare module 'fastify' {
  interface FastifyInstance {
    config: Config;
    services: Services;
  }
  interface FastifyRequest {
    /** The signed-in session, or null. Set by plugins/session.ts on every request. */
    session: ResolvedSession | null;
    /** Who is acting, for the audit log. */
    actor: Actor;
  }
  interface FastifyContextConfig {
    /** Who may call this route. Required on every route: the app refuses to boot without it. */
    access?: Access;
    /** 'replace': NUL in the form is replaced, not refused (Twilio webhooks; plugins/input.ts). */
    nul?: 'replace';
  }
}

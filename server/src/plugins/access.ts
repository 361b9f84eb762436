// Deny by default. Every route declares `config.access`: 'public', 'authenticated' or a list of
// roles. A route registered without one makes `app.ready()` fail, so the server cannot start
// with an undeclared route. Routes that third-party plugins add (API docs, the console's static
// files) are declared public by path prefix, in app.ts, where the plugin is registered.
import type { RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import type { Access } from '@trustline/shared';
import { forbidden, unauthenticated } from '../errors.js';
import { allows } from '../realtime/commands.js';

export class MissingAccessError extends Error {
  constructor(routes: string[]) {
    super(`routes without an access declaration (config.access): ${routes.join(', ')}`);
    this.name = 'MissingAccessError';
  }
}

export interface AccessOptions {
  /** Recognises routes that third-party plugins add (API docs, static files) as public. */
  isThirdPartyPublic?: (route: RouteOptions) => boolean;
}

export default fp<AccessOptions>(
  async (app, opts) => {
    const undeclared: string[] = [];
    const isThirdPartyPublic = opts.isThirdPartyPublic ?? (() => false);

    app.addHook('onRoute', (route) => {
      const config = (route.config ?? {}) as { access?: Access };
      if (config.access !== undefined) return;
      if (isThirdPartyPublic(route)) {
        route.config = { ...config, access: 'public' };
        return;
      }
      const methods = Array.isArray(route.method) ? route.method.join(',') : route.method;
      if (methods === 'HEAD') return; // Fastify's automatic HEAD twin of a GET route.
      undeclared.push(`${methods} ${route.url}`);
    });

    app.addHook('onReady', async () => {
      if (undeclared.length) throw new MissingAccessError(undeclared);
    });

    app.addHook('preHandler', async (req) => {
      const access = req.routeOptions.config.access;
      if (access === undefined) throw forbidden('this route declares no access'); // unreachable after boot
      if (access === 'public') return;
      if (!req.session) throw unauthenticated();
      if (!allows(access, req.session.user.roles)) throw forbidden();
    });
  },
  { name: 'access', dependencies: ['session'] },
);

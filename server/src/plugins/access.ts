// Deny by default. Every route declares `config.access`: 'public', 'authenticated' or a list of
// roles. A route registered without one makes `app.ready()` fail, so the server cannot start
// with an undeclared route. Routes that third-party plugins add (API docs, the console's static
// files) are declared public by path prefix, in app.ts, where the plugin is registered.
//
// The check runs in preParsing, on the route Fastify matched (never on the raw URL), before the
// body is parsed or validated: a caller who may not use a route learns nothing about its body
// schema, and a body too large or malformed costs nothing before the refusal.
import type { FastifyReply, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import type { Access, ApiError } from '@trustline/shared';
import { type DomainError, forbidden, MissingAccessError, unauthenticated } from '../errors.js';
import { allows } from '../realtime/commands.js';

/** One row of the route table: what a route is and who may call it. */
export interface DeclaredRoute {
  method: string;
  url: string;
  access: Access;
}

declare module 'fastify' {
  interface FastifyInstance {
    /** Every route with its access declaration, HEAD twins included (tests build the access matrix from it). */
    routeTable: readonly DeclaredRoute[];
  }
}

export interface AccessOptions {
  /** Recognises routes that third-party plugins add (API docs, static files) as public. */
  isThirdPartyPublic?: (route: RouteOptions) => boolean;
}

/** Answers a refusal directly rather than throwing it: hooks run in every context, and some
 * (bull-board's) set their own error handler, which would turn a thrown DomainError into a 500. */
export function refuse(reply: FastifyReply, err: DomainError) {
  return reply.status(err.status).send({ code: err.code, message: err.message } satisfies ApiError);
}

export default fp<AccessOptions>(
  async (app, opts) => {
    const undeclared: string[] = [];
    const table: DeclaredRoute[] = [];
    const isThirdPartyPublic = opts.isThirdPartyPublic ?? (() => false);
    app.decorate('routeTable', table);

    app.addHook('onRoute', (route) => {
      const methods = Array.isArray(route.method) ? route.method : [route.method];
      let config = (route.config ?? {}) as { access?: Access };
      if (config.access === undefined && isThirdPartyPublic(route)) {
        config = { ...config, access: 'public' };
        route.config = config;
      }
      if (config.access === undefined) {
        // Fastify's automatic HEAD twin of a GET route shares the GET route's config at run time.
        if (methods.join(',') !== 'HEAD') undeclared.push(`${methods.join(',')} ${route.url}`);
        return;
      }
      for (const method of methods) table.push({ method, url: route.url, access: config.access });
    });

    app.addHook('onReady', async () => {
      if (undeclared.length) throw new MissingAccessError('routes', undeclared);
    });

    // preParsing: after every onRequest hook (the session is read, helmet's headers are set, so a
    // refusal carries them) and before the body is parsed or validated, so a caller who may not
    // use the route learns nothing of its body schema.
    app.addHook('preParsing', async (req, reply) => {
      // No route matched: the not-found handler answers 404, and there is nothing to protect.
      if (req.is404) return;
      const access = req.routeOptions.config.access;
      if (access === 'public') return;
      const refusal =
        access === undefined
          ? forbidden('this route declares no access') // unreachable after boot
          : !req.session
            ? unauthenticated()
            : !allows(access, req.session.user.roles)
              ? forbidden()
              : null;
      if (refusal) return refuse(reply, refusal);
    });
  },
  { name: 'access', dependencies: ['session'] },
);

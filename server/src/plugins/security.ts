// Security headers, same-origin changes, CSRF tokens and rate limits.
import csrf from '@fastify/csrf-protection';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fp from 'fastify-plugin';
import { deriveKey } from '../crypto/keys.js';
import { DomainError } from '../errors.js';
import { refuse } from './access.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

declare module 'fastify' {
  interface FastifyContextConfig {
    /** 'origin-only': a signed-in change needs no CSRF token, only the same origin (bull-board). */
    csrf?: 'origin-only';
  }
}

export default fp(
  async (app) => {
    const { config } = app;
    const publicOrigin = new URL(config.publicUrl).origin;

    await app.register(helmet, {
      contentSecurityPolicy: {
        directives: {
          defaultSrc: ["'self'"],
          scriptSrc: ["'self'"],
          // Svelte sets element styles at run time.
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:'],
          // socket.io on the same origin; Twilio Voice SDK signalling and media when configured.
          connectSrc: ["'self'", 'wss://*.twilio.com', 'https://*.twilio.com'],
          mediaSrc: ["'self'", 'https://*.twilio.com', 'https://sdk.twilio.com'],
          frameAncestors: ["'none'"],
          upgradeInsecureRequests: config.publicUrl.startsWith('https://') ? [] : null,
        },
      },
      crossOriginEmbedderPolicy: false,
      strictTransportSecurity: config.publicUrl.startsWith('https://'),
    });

    // Both checks below decide on the route Fastify matched (its method and declarations), never
    // on the raw URL: Fastify decodes `/%61pi/users` to the `/api/users` route, so a check on
    // the URL text could be stepped around while the route still ran.

    // Same origin only: a change must come from the console's own origin. Browsers send Origin
    // on every cross-site POST, so a foreign page cannot make one. `null` is what a browser sends
    // for a plain form posted from a page with `Referrer-Policy: no-referrer` (helmet's default),
    // which is how the provider page (/p/offer/:token) answers; it is accepted on public routes
    // only, since a sandboxed frame on any site can send it too.
    app.addHook('preParsing', async (req, reply) => {
      if (SAFE_METHODS.has(req.method) || req.is404) return;
      const origin = req.headers.origin;
      if (!origin || origin === publicOrigin) return;
      if (origin === 'null' && req.routeOptions.config.access === 'public') return;
      return refuse(reply, new DomainError('CROSS_ORIGIN', `requests from ${origin} are refused; open the console at ${publicOrigin}`, 403));
    });

    await app.register(csrf, {
      sessionPlugin: '@fastify/cookie',
      cookieKey: 'tl_csrf',
      cookieOpts: { path: '/', httpOnly: true, sameSite: 'strict', secure: config.session.secureCookies, signed: false },
      getUserInfo: (req) => req.session?.sessionId ?? '',
      csrfOpts: { hmacKey: deriveKey(config.appSecret, 'csrf').toString('base64'), userInfo: true },
      getToken: (req) => req.headers['x-csrf-token'] as string | undefined,
    });

    // Signed-in changes need the session's CSRF token in `x-csrf-token` (from /api/auth/me).
    // Checked in preParsing, after the access check and before the body is read. Routes whose own
    // UI cannot send the header (bull-board) declare `csrf: 'origin-only'` and rely on the
    // same-origin check above and the SameSite=Strict session cookie.
    app.addHook('preParsing', (req, reply, _payload, done) => {
      const { access, csrf: mode } = req.routeOptions.config;
      if (SAFE_METHODS.has(req.method) || req.is404 || access === 'public' || mode === 'origin-only') return done();
      // The plugin answers a bad token itself (reply.send) and only calls on when the token is good.
      app.csrfProtection(req, reply, () => done());
    });

    await app.register(rateLimit, {
      global: false,
      redis: app.services.infra.redis,
      nameSpace: `${config.redisPrefix}:rate:`,
      skipOnError: true,
    });
  },
  { name: 'security', dependencies: ['session', 'access'] },
);

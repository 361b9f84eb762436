// Security headers, same-origin changes, CSRF tokens and rate limits.
import csrf from '@fastify/csrf-protection';
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import fp from 'fastify-plugin';
import { deriveKey } from '../crypto/keys.js';
import { DomainError } from '../errors.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

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

    // Same origin only: a change must come from the console's own origin. Browsers send Origin
    // on every cross-site POST, so a foreign page cannot make one.
    app.addHook('onRequest', async (req) => {
      if (SAFE_METHODS.has(req.method) || !req.url.startsWith('/api/')) return;
      const origin = req.headers.origin;
      if (origin && origin !== publicOrigin && origin !== 'null') {
        throw new DomainError('CROSS_ORIGIN', `requests from ${origin} are refused; open the console at ${publicOrigin}`, 403);
      }
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
    app.addHook('preHandler', (req, reply, done) => {
      const access = req.routeOptions.config.access;
      if (SAFE_METHODS.has(req.method) || access === 'public' || !req.url.startsWith('/api/')) return done();
      app.csrfProtection(req, reply, done);
    });

    await app.register(rateLimit, {
      global: false,
      redis: app.services.infra.redis,
      nameSpace: `${config.redisPrefix}:rate:`,
      skipOnError: true,
    });
  },
  { name: 'security', dependencies: ['session', 'access', 'services'] },
);

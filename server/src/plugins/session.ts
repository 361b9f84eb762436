// Server-side sessions. The cookie holds a random secret; the session row is keyed by its
// SHA-256 (modules/auth). HttpOnly, SameSite=Strict, Secure behind https. Sessions live in
// PostgreSQL rather than in a cookie so that deactivating a user or signing out ends them at
// once, everywhere, and so that the socket.io handshake can check the same session.
import cookie from '@fastify/cookie';
import fp from 'fastify-plugin';
import type { FastifyReply } from 'fastify';

export const SESSION_COOKIE = 'tl_session';

export default fp(
  async (app) => {
    await app.register(cookie, { hook: 'onRequest' });
    app.decorateRequest('session', null);
    app.decorateRequest('actor', null as never);

    app.addHook('onRequest', async (req) => {
      req.session = await app.services.auth.resolve(req.cookies[SESSION_COOKIE]);
      req.actor = {
        userId: req.session?.user.id ?? null,
        label: req.session?.user.username ?? null,
        ip: req.ip,
        userAgent: req.headers['user-agent']?.slice(0, 300) ?? null,
      };
    });
  },
  { name: 'session' },
);

export function setSessionCookie(reply: FastifyReply, secret: string, ttlMs: number, secure: boolean) {
  reply.setCookie(SESSION_COOKIE, secret, { path: '/', httpOnly: true, sameSite: 'strict', secure, maxAge: Math.floor(ttlMs / 1000) });
}

export function clearSessionCookie(reply: FastifyReply, secure: boolean) {
  reply.clearCookie(SESSION_COOKIE, { path: '/', httpOnly: true, sameSite: 'strict', secure });
}

// The provider's page behind the signed link: no account, no console, a small mobile form to
// accept, decline, report progress and add a note. Public by design: the signed link is the
// credential. A tampered, expired or used link gets a page that says so plainly.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { renderProviderPage, renderRefusal, renderDone } from './provider-page.html.js';

const Token = z.object({ token: z.string().max(200) });
const Action = z.object({ action: z.enum(['accept', 'decline', 'in_progress', 'delivered', 'note']), note: z.string().trim().max(500).optional().default('') });

const routes: FastifyPluginAsyncZod = async (app) => {
  const { dispatch } = app.services;
  const pub = { access: 'public' as const, rateLimit: { max: 60, timeWindow: '1 minute' } };

  app.get('/p/offer/:token', { config: pub, schema: { hide: true, params: Token } }, async (req, reply) => {
    const view = await dispatch.linkView(req.params.token);
    reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').type('text/html; charset=utf-8');
    if (!view.ok) return reply.status(view.reason === 'used' ? 410 : 403).send(renderRefusal(view.reason));
    return reply.send(renderProviderPage(view, req.params.token));
  });

  app.post('/p/offer/:token', { config: pub, schema: { hide: true, params: Token, body: Action } }, async (req, reply) => {
    reply.header('cache-control', 'no-store').header('referrer-policy', 'no-referrer').type('text/html; charset=utf-8');
    const res = await dispatch.linkAction(req.params.token, req.body.action, req.body.note || null);
    if (!res.ok) return reply.status(res.reason === 'used' ? 410 : 403).send(renderRefusal(res.reason));
    const next = await dispatch.linkView(req.params.token);
    return reply.send(next.ok ? renderProviderPage(next, req.params.token, res.state) : renderDone(res.state));
  });
};
export default routes;

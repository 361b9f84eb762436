// Operations: Prometheus metrics at /metrics (admins signed in, or Prometheus with a bearer
// token) and bull-board under /admin/queues (admins only). Wrapped with fastify-plugin so that the
// webhook-latency hook applies to every /twilio/* route of the app, whichever module declares it;
// it is registered first among the modules for that reason.
import { timingSafeEqual } from 'node:crypto';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import type { Access } from '@trustline/shared';
import { DomainError, forbidden, unauthenticated } from '../../errors.js';
import { createMetrics } from './metrics.js';

export const QUEUES_UI_PREFIX = '/admin/queues';
const ADMIN_ONLY: Access = ['admin'];

const sameSecret = (a: string, b: string) => {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
};

const isAdmin = (req: FastifyRequest) => req.session?.user.roles.includes('admin') ?? false;

function hasMetricsToken(req: FastifyRequest, token: string | undefined) {
  if (!token) return false;
  const header = req.headers.authorization ?? '';
  const match = /^Bearer\s+(\S+)$/i.exec(header);
  return match !== null && sameSecret(match[1]!, token);
}

/** bull-board in its own encapsulated context: every route it adds is declared admin-only (the
 * access plugin then checks the session on each request) and an onRequest check refuses anyone
 * else before bull-board's static files or API are reached. */
async function queuesUi(app: FastifyInstance) {
  const publicOrigin = new URL(app.config.publicUrl).origin;
  // bull-board's adapter calls `fastify.route` without our `config.access`; child contexts
  // inherit this override (Fastify builds them with Object.create), so its routes, and those of
  // the @fastify/static and @fastify/view it registers, are declared admin-only, not public.
  // Its UI cannot send our CSRF header: its changes are held to the same origin (plugins/security.ts).
  const route = app.route;
  app.route = function (this: FastifyInstance, opts: RouteOptions) {
    return route.call(this, { ...opts, config: { ...(opts.config as object), access: ADMIN_ONLY, csrf: 'origin-only' } });
  } as typeof app.route;

  // Answered here rather than thrown: bull-board sets its own error handler in this context.
  app.addHook('onRequest', async (req, reply) => {
    const refusal = !req.session ? unauthenticated() : !isAdmin(req) ? forbidden() : null;
    // Its API (retry, clean, promote) changes state: same origin only, as for /api/.
    const origin = req.headers.origin;
    const crossOrigin = !['GET', 'HEAD', 'OPTIONS'].includes(req.method) && origin && origin !== publicOrigin;
    const error = refusal ?? (crossOrigin ? new DomainError('CROSS_ORIGIN', `requests from ${origin} are refused`, 403) : null);
    if (error) return reply.status(error.status).send({ code: error.code, message: error.message });
  });

  const adapter = new FastifyAdapter();
  adapter.setBasePath(QUEUES_UI_PREFIX);
  createBullBoard({
    queues: Object.values(app.services.infra.queues).map((q) => new BullMQAdapter(q)),
    serverAdapter: adapter,
    options: { uiConfig: { boardTitle: 'Trustline queues' } },
  });
  await app.register(adapter.registerPlugin(), { prefix: QUEUES_UI_PREFIX });
}

export default fp(
  async (app) => {
    const { services } = app;
    const metrics = createMetrics({
      queues: services.infra.queues,
      emitter: services.emitter,
      callsWaiting: () => services.wallboard.callsWaiting(),
    });

    app.addHook('onResponse', async (req, reply) => {
      const url = req.routeOptions.url;
      if (!url?.startsWith('/twilio/')) return;
      metrics.webhookLatency.observe({ route: url, method: req.method, status: String(reply.statusCode) }, reply.elapsedTime / 1000);
    });

    // Declared public so that Prometheus can scrape it without a session; the handler itself
    // lets in only an admin's session or the METRICS_TOKEN bearer token.
    app.get(
      '/metrics',
      { config: { access: 'public' }, schema: { tags: ['operations'], summary: 'Prometheus metrics (admin session or bearer METRICS_TOKEN)', hide: true } },
      async (req, reply) => {
        if (!hasMetricsToken(req, app.config.metricsToken)) {
          if (!req.session) throw unauthenticated();
          if (!isAdmin(req)) throw forbidden();
        }
        const body = await metrics.registry.metrics();
        return reply.type(metrics.registry.contentType).send(body);
      },
    );

    await app.register(queuesUi);
  },
  { name: 'operations', dependencies: ['access', 'session'] },
);

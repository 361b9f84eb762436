import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';

const Ready = z.object({ status: z.enum(['ready', 'unavailable']), checks: z.record(z.string(), z.string()), failed: z.array(z.string()).optional() });

/** Each readiness check must answer within this, or it counts as failed. */
const CHECK_TIMEOUT_MS = 1_500;

const withTimeout = <T>(p: Promise<T>, what: string) =>
  Promise.race([
    p,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error(`${what} did not answer in ${CHECK_TIMEOUT_MS} ms`)), CHECK_TIMEOUT_MS)),
  ]);

const routes: FastifyPluginAsyncZod = async (app) => {
  app.get('/healthz', { config: { access: 'public' }, schema: { tags: ['health'], response: { 200: z.object({ status: z.literal('ok') }) } } }, async () => ({
    status: 'ok' as const,
  }));

  app.get('/readyz', { config: { access: 'public' }, schema: { tags: ['health'], response: { 200: Ready, 503: Ready } } }, async (_req, reply) => {
    const { db, redis } = app.services.infra;
    const checks: Record<string, string> = {};
    await Promise.all([
      withTimeout(db.prisma.$queryRaw`SELECT 1`, 'database').then(
        () => void (checks.database = 'ok'),
        () => void (checks.database = 'unreachable'),
      ),
      withTimeout(redis.ping(), 'redis').then(
        () => void (checks.redis = 'ok'),
        () => void (checks.redis = 'unreachable'),
      ),
    ]);
    const failed = Object.entries(checks)
      .filter(([, v]) => v !== 'ok')
      .map(([k]) => k);
    if (failed.length) return reply.status(503).send({ status: 'unavailable', checks, failed });
    return { status: 'ready' as const, checks };
  });
};
export default routes;

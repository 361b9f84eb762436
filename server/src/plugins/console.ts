// Serves the built console (console/dist) from `/`. The console routes by URL hash, so no
// server-side fallback is needed and setup tokens in links never reach the server's logs.
import { existsSync } from 'node:fs';
import fastifyStatic from '@fastify/static';
import fp from 'fastify-plugin';

export default fp(
  async (app) => {
    const root = app.config.consoleDist;
    if (!existsSync(root)) {
      app.log.warn({ root }, 'console build not found; run `npm run build` to serve the console');
      app.get('/', { config: { access: 'public' } }, async (_req, reply) =>
        reply.type('text/plain; charset=utf-8').status(503).send('The console is not built. Run: npm run build'),
      );
      return;
    }
    await app.register(fastifyStatic, { root, prefix: '/', index: ['index.html'], wildcard: false, maxAge: '1h', immutable: false });
  },
  { name: 'console' },
);

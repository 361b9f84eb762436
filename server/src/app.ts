// Builds the Fastify app as a plugin tree: external plugins, then app plugins, then modules.
// It never listens: server.ts does, and tests use the same app through `inject` or port 0.
import formbody from '@fastify/formbody';
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { loggerOptions } from './logger.js';
import { routePlugins, socketCommands } from './modules/registry.js';
import access from './plugins/access.js';
import consolePlugin from './plugins/console.js';
import docs, { DOCS_PREFIX } from './plugins/docs.js';
import errors from './plugins/errors.js';
import input from './plugins/input.js';
import security from './plugins/security.js';
import session from './plugins/session.js';
import shutdown from './plugins/shutdown.js';
import socket from './plugins/socket.js';
import type { CommandDefinition } from './realtime/commands.js';
import type { Services } from './kernel.js';

export interface BuildAppOptions {
  services: Services;
  /** Extra route plugins (tests use this to prove the access check). */
  extraRoutes?: ((app: FastifyInstance) => Promise<void>)[];
  extraCommands?: CommandDefinition[];
}

export async function buildApp(opts: BuildAppOptions): Promise<FastifyInstance> {
  const { services } = opts;
  const { config } = services.infra;
  const app = Fastify({
    loggerInstance: services.infra.log,
    bodyLimit: config.bodyLimit,
    trustProxy: config.trustProxy,
    requestTimeout: 30_000,
    connectionTimeout: 60_000,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    routerOptions: { ignoreTrailingSlash: true },
    genReqId: () => crypto.randomUUID(),
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.decorate('config', config);
  app.decorate('services', services);

  // External plugins.
  await app.register(formbody, { bodyLimit: config.bodyLimit });

  // App plugins.
  await app.register(errors);
  await app.register(session);
  await app.register(access, {
    // Swagger UI's pages and the console's static files carry no data; @fastify/static marks its
    // routes with config.rootPath (with a trailing slash added).
    isThirdPartyPublic: (route) =>
      route.url.startsWith(DOCS_PREFIX) || (route.config as { rootPath?: string } | undefined)?.rootPath?.replace(/\/+$/, '') === config.consoleDist,
  });
  await app.register(security);
  await app.register(input);
  await app.register(docs);
  await app.register(socket, { commands: [...socketCommands(services), ...(opts.extraCommands ?? [])] });
  await app.register(shutdown);

  // Feature modules.
  for (const routes of routePlugins) await app.register(routes);
  for (const routes of opts.extraRoutes ?? []) await app.register(routes);
  await app.register(consolePlugin);

  return app as unknown as FastifyInstance;
}

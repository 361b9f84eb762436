// OpenAPI generated from the route schemas (the shared zod schemas), served at /api/docs.
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import fp from 'fastify-plugin';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';

export const DOCS_PREFIX = '/api/docs';

export default fp(
  async (app) => {
    await app.register(swagger, {
      openapi: {
        info: {
          title: 'Trust line and urgent-assistance dispatch API',
          description: 'HTTP API of the console. Sign in with POST /api/auth/login; changes need the x-csrf-token header from GET /api/auth/me.',
          version: '0.1.0',
        },
        servers: [{ url: app.config.publicUrl }],
        components: { securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'tl_session' } } },
      },
      transform: jsonSchemaTransform,
    });
    await app.register(swaggerUi, { routePrefix: DOCS_PREFIX, staticCSP: true });
  },
  { name: 'docs' },
);

// The console's HTTP API for conversations: outbound messages that are stuck. The path predates
// the module and stays.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { StuckMessages } from '@trustline/shared';

const routes: FastifyPluginAsyncZod = async (app) => {
  const { conversations } = app.services;
  app.get(
    '/api/telephony/messages/stuck',
    {
      config: { access: ['supervisor', 'admin'] as const },
      schema: { tags: ['telephony'], summary: 'Outbound SMS not yet handed to Twilio (no number, no text)', response: { 200: StuckMessages } },
    },
    () => conversations.stuckMessages(),
  );
};
export default routes;

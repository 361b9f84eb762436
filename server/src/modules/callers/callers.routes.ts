// Break-glass: reveal a caller's number for a stated reason (docs/privacy.md, "Callers' numbers").
// The operator holding the call, thread or call-back, or a supervisor. The answer is never cached.
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { ApiError, NumberRevealedAlert, RevealNumberBody, RevealNumberResponse, type RevealSubject } from '@trustline/shared';
import { z } from 'zod';

const staff = { access: ['operator', 'supervisor'] as const };
const Params = z.object({ id: z.uuid() });
const PATHS: [RevealSubject, string, string][] = [
  ['call', '/api/telephony/calls/:id/reveal-number', "Reveal a call's number (break-glass: reason required, audited, supervisors alerted)"],
  ['callback', '/api/telephony/callbacks/:id/reveal-number', "Reveal a call-back request's number (break-glass)"],
  ['conversation', '/api/telephony/conversations/:id/reveal-number', "Reveal an SMS thread's number (break-glass)"],
];

const routes: FastifyPluginAsyncZod = async (app) => {
  const { callers } = app.services;
  app.get(
    '/api/telephony/reveals',
    {
      config: { access: ['supervisor'] as const },
      schema: {
        tags: ['telephony'],
        summary: "Numbers revealed in the last day: who, which caller's label, why (no number)",
        response: { 200: z.array(NumberRevealedAlert) },
      },
    },
    () => callers.recent(),
  );
  for (const [subject, path, summary] of PATHS) {
    app.post(
      path,
      {
        config: staff,
        schema: {
          tags: ['telephony'],
          summary,
          params: Params,
          body: RevealNumberBody,
          response: { 200: RevealNumberResponse, 400: ApiError, 403: ApiError, 404: ApiError, 409: ApiError },
        },
      },
      async (req: FastifyRequest<{ Params: z.infer<typeof Params>; Body: z.infer<typeof RevealNumberBody> }>, reply: FastifyReply) => {
        const res = await callers.reveal(subject, req.params.id, req.body, { ...req.actor, roles: req.session?.user.roles ?? [] });
        return reply.header('cache-control', 'no-store, private').header('pragma', 'no-cache').send(res);
      },
    );
  }
};
export default routes;

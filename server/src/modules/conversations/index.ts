// Conversations, channel-agnostic: threads, messages, delivery states, offers and takes. Each
// channel plugs in through an adapter (channel.ts); SMS through Twilio is the first
// (sms/sms.adapter.ts). Routing goes through services.operators; Twilio and the lines are
// telephony's ports (services.twilio, services.lines).
import { systemActor } from '../../actor.js';
import { jobOf } from '../../jobs/enqueue.js';
import { defineFeature } from '../feature.js';
import { conversationsContext } from './conversations.context.js';
import { conversationsRepository } from './conversations.repository.js';
import routes from './conversations.routes.js';
import { conversationsService, type ConversationsService } from './conversations.service.js';
import { conversationsCommands } from './conversations.socket.js';
import { smsAdapter } from './sms/sms.adapter.js';
import smsWebhooks from './sms/sms.webhooks.js';

declare module '../../kernel.js' {
  interface Services {
    conversations: ConversationsService & {
      adapters: { sms: ReturnType<typeof smsAdapter> };
    };
    /** The seam for texting anyone: sms.sendToNumber(...), sms.interceptInbound(...). */
    sms: Pick<ConversationsService, 'sendToNumber' | 'interceptInbound'>;
  }
}

export const conversationsFeature = defineFeature({
  name: 'conversations',
  create: (k, services) => {
    const { twilio, lines, operators, callers, audit } = services;
    const sms = smsAdapter({ twilio, lines, smsFrom: k.config.telephony.smsFrom });
    const service = conversationsService(
      conversationsContext({
        repo: conversationsRepository(k.prisma),
        adapters: [sms],
        lines,
        operators,
        callers,
        audit,
        transaction: k.transaction,
        events: k.events,
        phones: k.phones,
        emitter: k.emitter,
        enqueue: k.enqueue,
        outbox: k.outbox,
        findJob: (jobId) => jobOf(k.infra.queues, 'telephony', jobId),
        log: k.log,
        config: k.config.telephony,
      }),
    );
    // Threads route when an operator becomes available (after calls: telephony registered first).
    operators.routers.register({ channel: sms.channel, routeWaiting: () => service.routeWaiting() });
    const { sendToNumber, interceptInbound } = service;
    return { conversations: Object.assign(service, { adapters: { sms } }), sms: { sendToNumber, interceptInbound } };
  },
  routes: [smsWebhooks, routes],
  commands: conversationsCommands,
  // On the 'telephony' queue, which predates this module.
  handlers: ({ conversations }) => ({
    telephony: {
      'sms.send': async ({ messageId }) => conversations.deliver(messageId),
      'conversation.silence': async ({ conversationId }) => conversations.closeIfSilent(conversationId, systemActor('conversation-silence')),
      'conversation.offer-expire': async ({ conversationId }) => conversations.passOn(conversationId, null),
    },
  }),
});

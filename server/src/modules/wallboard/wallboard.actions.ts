// What a supervisor does from the wallboard. Assigning a waiting call or conversation, changing
// an operator's state and acknowledging an alert are telephony's and contacts' own operations,
// called through their services so that their rules, events and audit apply; the wallboard adds
// its own audit entry saying the action came from the wallboard. The short message to operators
// on shift is the wallboard's.
import { randomUUID } from 'node:crypto';
import type { AssignWaitingBody, BroadcastBody, Role, SetOperatorStateBody, SupervisorMessage } from '@trustline/shared';
import { rooms } from '../../realtime/rooms.js';
import type { Services } from '../../kernel.js';
import type { Actor } from '../audit/audit.service.js';

export interface SupervisorActor extends Actor {
  userId: string;
  roles: readonly Role[];
}

export function supervisorActions(services: Services) {
  const { audit } = services;
  return {
    async assign(body: AssignWaitingBody, actor: SupervisorActor) {
      if (body.callId) {
        const call = await services.telephony.calls.assign(body.callId, body.operatorId, actor);
        await audit.record(actor, 'wallboard.assign-call', { entity: 'Call', entityId: body.callId, detail: { operatorId: body.operatorId } });
        return { callId: call.id, conversationId: null, operatorId: body.operatorId };
      }
      const c = await services.conversations.accept(body.conversationId!, body.operatorId);
      await audit.record(actor, 'wallboard.assign-conversation', { entity: 'Conversation', entityId: c.id, detail: { operatorId: body.operatorId } });
      return { callId: null, conversationId: c.id, operatorId: body.operatorId };
    },

    async setOperatorState(body: SetOperatorStateBody, actor: SupervisorActor) {
      const state = await services.operators.setByHand(body.operatorId, body.state, body.reason);
      await audit.record(actor, 'wallboard.operator-state', { entity: 'User', entityId: body.operatorId, detail: { state: body.state } });
      return state;
    },

    async acknowledge(contactId: string, actor: SupervisorActor) {
      return services.contacts.acknowledgeAlert(contactId, actor);
    },

    /** A short message to every operator's console (staff to staff, never about a caller). */
    async broadcast(body: BroadcastBody, actor: Actor): Promise<SupervisorMessage> {
      const message: SupervisorMessage = { id: randomUUID(), from: actor.label ?? 'supervisor', text: body.text, at: new Date().toISOString() };
      await audit.record(actor, 'wallboard.broadcast', { entity: 'message', entityId: message.id, detail: { length: body.text.length } });
      services.emitter.to([rooms.role('operator'), rooms.wallboard()]).emit('wallboard:message', message);
      return message;
    },
  };
}

// What a supervisor does from the wallboard. Assigning, changing an operator's state and
// acknowledging an alert are the telephony's and contacts' own operations (called through their
// services, with their rules and audit); the short message to operators on shift is the
// wallboard's.
import { randomUUID } from 'node:crypto';
import type { BroadcastBody, SupervisorMessage } from '@trustline/shared';
import type { Io } from '../../realtime/io.js';
import { rooms } from '../../realtime/rooms.js';
import type { Actor, AuditService } from '../audit/audit.service.js';

export function wallboardActions(deps: { io: Io; audit: AuditService; now?: () => Date }) {
  const { io, audit, now = () => new Date() } = deps;
  return {
    /** A short message to every operator's console (the text is staff-to-staff, never about a caller). */
    async broadcast(body: BroadcastBody, actor: Actor): Promise<SupervisorMessage> {
      const message: SupervisorMessage = { id: randomUUID(), from: actor.label ?? 'supervisor', text: body.text, at: now().toISOString() };
      await audit.record(actor, 'wallboard.broadcast', { entity: 'message', entityId: message.id, detail: { length: body.text.length } });
      io.to([rooms.role('operator'), rooms.wallboard()]).emit('wallboard:message', message);
      return message;
    },
  };
}
export type WallboardActions = ReturnType<typeof wallboardActions>;

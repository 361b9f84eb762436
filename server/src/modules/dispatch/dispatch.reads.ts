// What the board, the detail view and the contact's timeline read.
import type { Actor } from '../audit/audit.service.js';
import { notFound } from '../../errors.js';
import type { DispatchCore } from './dispatch.core.js';
import { toCard, toDetail } from './dispatch.views.js';

export function dispatchReads(core: DispatchCore) {
  const { repo, audit, phones, settings } = core.deps;
  const { names } = core;
  return {
    async board(filter: { kind?: string; district?: string; urgency?: string }) {
      const rows = await repo.board({ ...filter, closedSince: new Date(Date.now() - 24 * 3600_000) });
      const n = await names(rows.map((r) => r.serviceId));
      const now = new Date();
      return rows
        .map((r) => toCard(r, n, settings.warningFraction, now))
        .sort(
          (a, b) =>
            Number(b.overdue) - Number(a.overdue) ||
            Number(b.escalated) - Number(a.escalated) ||
            b.priority - a.priority ||
            a.createdAt.localeCompare(b.createdAt),
        );
    },

    async detail(id: string, actor: Actor) {
      const d = await repo.find(id);
      if (!d) throw notFound('dispatch');
      const steps = await repo.events(id);
      const n = await names([d.serviceId, ...d.offers.map((o) => o.serviceId), ...steps.map((s) => s.serviceId)]);
      if (d.recipientName || d.recipientPhoneEnc) await audit.record(actor, 'dispatch.read', { entity: 'Dispatch', entityId: id });
      return toDetail(d, n, steps, d.recipientPhoneEnc && d.recipientPhoneHash ? phones.label(d.recipientPhoneHash) : null, settings.warningFraction);
    },

    async byContact(contactId: string) {
      const rows = await repo.byContact(contactId);
      const n = await names(rows.flatMap((r) => [r.serviceId, ...r.events.map((e) => e.serviceId)]));
      return rows.map((r) => ({
        ...toCard(r, n, settings.warningFraction),
        steps: r.events.map((e) => ({
          id: e.id,
          at: e.at.toISOString(),
          type: e.type,
          actor: e.actorLabel,
          provider: e.serviceId ? (n.get(e.serviceId) ?? null) : null,
          note: e.note,
        })),
      }));
    },
  };
}

// Rows to what the board and the detail view show. The recipient's phone is shown only by its label (no digit).
import type { DispatchCard, DispatchDetail, MatchReason } from '@trustline/shared';
import { dispatchPriority } from './matching.js';
import type { DispatchRow } from './dispatch.repository.js';

type DispatchLike = Omit<DispatchRow, 'offers'>;
const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

export function currentDeadline(d: DispatchLike): Date | null {
  if (d.state === 'offered') return d.ackDeadline;
  if (d.state === 'accepted' || d.state === 'in_progress') return d.deliveryDeadline;
  return null;
}

export function toCard(d: DispatchLike, names: Map<string, string>, warningFraction: number, now = new Date()): DispatchCard {
  const deadline = currentDeadline(d);
  const started = d.state === 'offered' ? d.updatedAt : d.acceptedAt;
  const warningAt = deadline && started ? new Date(started.getTime() + (deadline.getTime() - started.getTime()) * warningFraction) : null;
  return {
    id: d.id,
    number: d.number,
    contactId: d.contactId,
    kind: d.kind,
    state: d.state,
    urgency: d.urgency,
    district: d.district,
    childrenInvolved: d.childrenInvolved,
    risk: d.risk as DispatchCard['risk'],
    priority: dispatchPriority({ urgency: d.urgency, childrenInvolved: d.childrenInvolved, risk: d.risk as DispatchCard['risk'] }),
    escalated: d.escalated,
    escalatedReason: d.escalatedReason,
    offerCount: d.offerCount,
    provider: d.serviceId ? { serviceId: d.serviceId, name: names.get(d.serviceId) ?? '—' } : null,
    createdAt: d.createdAt.toISOString(),
    updatedAt: d.updatedAt.toISOString(),
    deadline: iso(deadline),
    warningAt: iso(warningAt),
    overdue: !!deadline && deadline.getTime() <= now.getTime(),
    closeReason: d.closeReason,
  };
}

export function toDetail(
  d: DispatchRow,
  names: Map<string, string>,
  steps: { id: string; at: Date; type: string; actorLabel: string | null; serviceId: string | null; note: string | null }[],
  recipientPhoneLabel: string | null,
  warningFraction: number,
): DispatchDetail {
  return {
    ...toCard(d, names, warningFraction),
    recipientName: d.recipientName,
    recipientPhoneLabel,
    notifyRecipient: d.notifyRecipient,
    address: d.address,
    quantity: d.quantity,
    providerNote: d.providerNote,
    referral: d.referral,
    steps: steps.map((s) => ({
      id: s.id,
      at: s.at.toISOString(),
      type: s.type,
      actor: s.actorLabel,
      provider: s.serviceId ? (names.get(s.serviceId) ?? null) : null,
      note: s.note,
    })),
    offers: d.offers.map((o) => ({
      id: o.id,
      serviceId: o.serviceId,
      provider: names.get(o.serviceId) ?? '—',
      code: o.code,
      state: o.state,
      smsStatus: o.smsStatus,
      deadline: o.deadline.toISOString(),
      reasons: o.reasons as MatchReason[],
    })),
  };
}

// The domain events the operators module emits (server/src/domain-events.ts).
import type { OperatorStateKind } from '@trustline/shared';

declare module '../../domain-events.js' {
  interface DomainEventMap {
    'operator.state-changed': { userId: string; state: OperatorStateKind; previous: OperatorStateKind; since: Date; reason: string | null };
  }
}

export {};

// An operator whose last console disconnects goes offline (unless on a call), so calls are not
// offered to an empty chair. Wired once every feature exists (telephony's index.ts).
import type { Services } from '../../kernel.js';
import { rooms } from '../../realtime/rooms.js';

export function wireOperatorsToDisconnects(services: Services) {
  const { emitter, telephony, infra } = services;
  emitter.onDisconnect(({ userId }) => {
    void (async () => {
      if ((await emitter.socketsIn(rooms.user(userId))) > 0) return;
      await telephony.operators.disconnected(userId);
      await telephony.calls.withdrawOffersOf(userId);
    })().catch((err) => infra.log.warn({ err, userId }, 'operator offline on disconnect failed'));
  });
}

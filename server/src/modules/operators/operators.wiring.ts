// An operator whose last console disconnects goes offline (unless on a call), so work is not
// offered to an empty chair. Wired once every feature exists.
import type { Services } from '../../kernel.js';
import { rooms } from '../../realtime/rooms.js';

export function wireOperatorsToDisconnects(services: Services) {
  const { emitter, operators, infra } = services;
  emitter.onDisconnect(({ userId }) => {
    void (async () => {
      if ((await emitter.socketsIn(rooms.user(userId))) > 0) return;
      await operators.disconnected(userId);
      await operators.withdrawOffersOf(userId);
    })().catch((err) => infra.log.warn({ err, userId }, 'operator offline on disconnect failed'));
  });
}

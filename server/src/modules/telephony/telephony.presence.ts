// An operator whose last console disconnects goes offline (unless on a call), so calls are not
// offered to an empty chair. Registered with the route plugins, where socket.io is attached.
import type { FastifyPluginAsync } from 'fastify';
import { rooms } from '../../realtime/rooms.js';

const presence: FastifyPluginAsync = async (app) => {
  const { infra, telephony } = app.services;
  infra.io.on('connection', (socket) => {
    const userId = socket.data.userId;
    socket.on('disconnect', () => {
      void (async () => {
        if ((await infra.io.in(rooms.user(userId)).fetchSockets()).length > 0) return;
        await telephony.operators.disconnected(userId);
        await telephony.calls.withdrawOffersOf(userId);
      })().catch((err) => infra.log.warn({ err, userId }, 'operator offline on disconnect failed'));
    });
  });
};
export default presence;

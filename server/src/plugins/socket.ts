// socket.io on the same HTTP server. The handshake is authenticated by the same session cookie
// as HTTP; each socket joins its user's, its roles' and its session's rooms. Commands come from
// the modules (modules/index.ts) and are bound through the access-checking registry.
import fp from 'fastify-plugin';
import { rooms, sessionRoom } from '../realtime/rooms.js';
import { assertCommandsDeclareAccess, bindCommands, type CommandDefinition } from '../realtime/commands.js';
import { SESSION_COOKIE } from './session.js';

export interface SocketPluginOptions {
  commands: CommandDefinition[];
}

export default fp<SocketPluginOptions>(
  async (app, opts) => {
    const { io, log } = app.services.infra;
    const { auth, presence } = app.services;
    assertCommandsDeclareAccess(opts.commands);

    io.use(async (socket, next) => {
      try {
        const cookies = app.parseCookie(socket.handshake.headers.cookie ?? '');
        const session = await auth.resolve(cookies[SESSION_COOKIE]);
        if (!session) return next(Object.assign(new Error('UNAUTHENTICATED'), { data: { code: 'UNAUTHENTICATED' } }));
        socket.data = {
          userId: session.user.id,
          username: session.user.username,
          roles: session.user.roles,
          sessionId: session.sessionId,
          ip: socket.handshake.address ?? null,
          userAgent: socket.handshake.headers['user-agent']?.slice(0, 300) ?? null,
        };
        next();
      } catch (err) {
        log.error({ err }, 'socket handshake failed');
        next(new Error('UNAVAILABLE'));
      }
    });

    io.on('connection', (socket) => {
      const { userId, roles, sessionId } = socket.data;
      // A recovered socket keeps its rooms; joining again is harmless.
      socket.join([rooms.user(userId), sessionRoom(sessionId), ...roles.map((r) => rooms.role(r))]);
      bindCommands(socket, opts.commands, log);
      presence.connected(userId).catch((err) => log.warn({ err, userId }, 'presence update failed'));
      socket.on('disconnect', () => {
        presence.disconnected(userId).catch((err) => log.warn({ err, userId }, 'presence update failed'));
      });
    });

    io.attach(app.server);
  },
  { name: 'socket', dependencies: ['session'] },
);

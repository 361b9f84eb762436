// Sign-in, second factor, sessions and the first administrator.
import { rooms } from '../../realtime/rooms.js';
import { defineFeature } from '../feature.js';
import { authRepository } from './auth.repository.js';
import routes from './auth.routes.js';
import { authService, type AuthService } from './auth.service.js';
import { loginThrottle } from './login-throttle.js';
import { pendingStore } from './pending.js';
import { totpCodec } from './totp.js';

/** Ends sessions on the consoles: tells them why, then closes their sockets in every process. */
export interface SessionsPort {
  endSessionsOf(userId: string, reason: 'deactivated' | 'signed-out'): void;
  endSession(sessionId: string, reason?: 'signed-out' | 'expired'): void;
}

declare module '../../kernel.js' {
  interface Services {
    auth: AuthService;
    sessions: SessionsPort;
  }
}

export const authFeature = defineFeature({
  name: 'auth',
  create: ({ config, prisma, redis, emitter, transaction }, { audit }) => {
    const sessions: SessionsPort = {
      endSessionsOf(userId, reason) {
        emitter.to(rooms.user(userId)).emit('session:ended', { reason });
        emitter.disconnect(rooms.user(userId));
      },
      endSession(sessionId, reason = 'signed-out') {
        emitter.to(rooms.session(sessionId)).emit('session:ended', { reason });
        emitter.disconnect(rooms.session(sessionId));
      },
    };
    const auth = authService({
      repo: authRepository(prisma),
      audit,
      throttle: loginThrottle(redis, config.redisPrefix, config.login.maxFailures, config.login.lockMs),
      transaction,
      sessionTtlMs: config.session.ttlMs,
      idleMs: config.session.idleMs,
      setupTokenTtlMs: config.setupTokenTtlMs,
      totp: totpCodec(config.appSecret, 'Trust line'),
      pending: pendingStore(redis, config.redisPrefix),
      totpRequiredRoles: config.totpRequiredRoles,
      sessions,
    });
    return { auth, sessions };
  },
  routes: [routes],
});

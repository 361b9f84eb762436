// Wall-screen links. An admin creates a kiosk: a user holding only the `wallboard` role and a
// link `/#/kiosk?token=…` whose token is the user's id signed with a key derived for
// 'wallboard-token'. Opening the link once signs the screen in (an ordinary session, read-only
// by its role). Revoking deactivates the kiosk user: its link stops working and its sessions end.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { KioskToken } from '@trustline/shared';
import { deriveKey } from '../../crypto/keys.js';
import { newSecret } from '../../crypto/tokens.js';
import { DomainError, notFound } from '../../errors.js';
import type { Services } from '../../kernel.js';
import type { Actor, AuditService } from '../audit/audit.service.js';
import type { KioskRepository } from './kiosk.repository.js';

export interface KioskDeps {
  repo: KioskRepository;
  /** Users' port: a kiosk is a user, created and deactivated as any other. */
  users: Pick<Services['users'], 'create' | 'update'>;
  audit: AuditService;
  appSecret: string;
  publicUrl: string;
  sessionTtlMs: number;
}

const invalid = () => new DomainError('KIOSK_LINK_INVALID', 'this wall-screen link is not valid', 401);

export function kioskService(deps: KioskDeps) {
  const { repo, users, audit, publicUrl, sessionTtlMs } = deps;
  const key = deriveKey(deps.appSecret, 'wallboard-token');
  const sign = (userId: string) => createHmac('sha256', key).update(userId).digest('base64url');
  const tokenFor = (userId: string) => `${userId}.${sign(userId)}`;
  const view = (u: { id: string; displayName: string; createdAt: Date }): KioskToken => ({
    id: u.id,
    label: u.displayName,
    createdAt: u.createdAt.toISOString(),
    createdBy: null,
  });

  return {
    async list(): Promise<KioskToken[]> {
      return (await repo.list()).map(view);
    },

    async create(label: string, actor: Actor) {
      const user = await users.create(
        { username: `kiosk-${randomBytes(4).toString('hex')}`, displayName: label, password: randomBytes(24).toString('base64url'), roles: ['wallboard'] },
        actor,
      );
      await audit.record(actor, 'wallboard.kiosk-create', { entity: 'User', entityId: user.id });
      return { id: user.id, label, url: `${publicUrl}/#/kiosk?token=${tokenFor(user.id)}` };
    },

    async revoke(id: string, actor: Actor) {
      const user = await repo.find(id);
      if (!user || !user.roles.every((r) => r === 'wallboard')) throw notFound('wall-screen link');
      await users.update(id, { active: false }, actor);
      await audit.record(actor, 'wallboard.kiosk-revoke', { entity: 'User', entityId: id });
    },

    /** Opens a session for the kiosk behind a valid token. */
    async signIn(token: string, actor: Actor) {
      const [userId = '', mac = ''] = token.split('.');
      const expected = Buffer.from(sign(userId));
      const given = Buffer.from(mac);
      if (!userId || given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid();
      const user = await repo.find(userId).catch(() => null);
      if (!user || !user.active || user.roles.length !== 1 || user.roles[0] !== 'wallboard') throw invalid();
      const { secret, id } = newSecret();
      await repo.createSession({
        id,
        userId: user.id,
        expiresAt: new Date(Date.now() + sessionTtlMs),
        ip: actor.ip ?? null,
        userAgent: actor.userAgent ?? null,
      });
      await audit.record({ ...actor, userId: user.id, label: user.username }, 'wallboard.kiosk-sign-in', { entity: 'User', entityId: user.id });
      return { sessionSecret: secret, sessionId: id, user };
    },
  };
}
export type KioskService = ReturnType<typeof kioskService>;

// Telephony test helpers: a caller simulator aimed at a test server, its REST stand-in, a line,
// and signed-in operators with live sockets.
import type { Role } from '@trustline/shared';
import { newSecret } from '../../server/src/crypto/tokens.js';
import { systemActor } from '../../server/src/modules/audit/audit.service.js';
import { CallerSimulator, postWebhook, type SimTarget } from '../../server/src/modules/telephony/twilio-sim.js';
import { SESSION_COOKIE } from '../../server/src/plugins/session.js';
import type { TestServer } from './runtime.js';
import { connectSocket, type ClientSocket } from './socket.js';

export const LINE_NUMBER = '+74950000001';

export function simTarget(server: TestServer): SimTarget {
  return {
    baseUrl: server.url,
    publicUrl: server.config.publicUrl,
    authToken: server.config.telephony.authToken,
    accountSid: server.config.telephony.accountSid,
  };
}
/** The server's own caller simulator: the stand-in follows its calls (redirects, hang-ups). */
export const callerFor = (server: TestServer) => server.services.telephony.gateway.caller!;
export const freshCaller = (server: TestServer) => new CallerSimulator(simTarget(server));
export const standInOf = (server: TestServer) => server.services.telephony.gateway.standIn!;
export const webhook = (server: TestServer, path: string, params: Record<string, string>) => postWebhook(simTarget(server), path, params);

export async function makeLine(server: TestServer, number = LINE_NUMBER, extra: { fallbackNumber?: string; language?: 'ru-RU' | 'en-US' } = {}) {
  const existing = (await server.services.telephony.lines.list()).find((l) => l.number === number);
  if (existing) return existing;
  return server.services.telephony.lines.create(
    { number, name: `Line ${number}`, language: extra.language ?? 'ru-RU', active: true, fallbackNumber: extra.fallbackNumber ?? null },
    systemActor('test'),
  );
}

export interface Staff {
  user: { id: string; username: string };
  cookie: string;
  socket: ClientSocket;
  cmd<T = unknown>(name: string, payload?: unknown): Promise<{ ok: boolean; data?: T; code?: string; message?: string }>;
}

let staffSeq = 0;
/** Many staff at once: users and sessions written straight to the database (one shared password
 * hash), because POST /api/auth/login is rate-limited per IP and argon2 is slow on purpose. */
async function quickUser(server: TestServer, roles: Role[]) {
  const prisma = server.services.infra.db.prisma;
  const username = `tel${Date.now().toString(36)}${staffSeq++}`;
  const user = await prisma.user.create({ data: { username, displayName: `Test ${username}`, passwordHash: 'not-used-by-these-tests', roles } });
  const { secret, id } = newSecret();
  await prisma.session.create({ data: { id, userId: user.id, expiresAt: new Date(Date.now() + 3_600_000) } });
  return { user: { id: user.id, username }, cookie: `${SESSION_COOKIE}=${secret}` };
}

export async function staffMember(server: TestServer, roles: Role[], opts: { available?: boolean } = {}): Promise<Staff> {
  const { user, cookie } = await quickUser(server, roles);
  const socket = await connectSocket(server.url, cookie);
  const cmd = (name: string, payload: unknown = {}) =>
    new Promise<any>((resolve) => (socket as unknown as { emit: (...a: unknown[]) => void }).emit(name, payload, resolve));
  if (opts.available) {
    const res = await cmd('operator:set-state', { state: 'available' });
    if (!res.ok) throw new Error(`could not become available: ${res.message}`);
  }
  return { user, cookie, socket, cmd };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function until<T>(fn: () => Promise<T | null | undefined | false>, timeoutMs = 5_000, stepMs = 25): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error('condition not met in time');
    await sleep(stepMs);
  }
}

// Socket commands: each is declared with who may call it, a zod schema for its payload and a
// handler that returns data or throws a DomainError. The registry wraps them into
// `{ok:true,data}` / `{ok:false,code,message}` acks, so handlers never touch the ack by hand.
// A command without an access declaration stops start-up, as routes do.
import type { Access, ClientToServerEvents } from '@trustline/shared';
import type { z } from 'zod';
import { fromPrismaError } from '../db/prisma-errors.js';
import { DomainError, MissingAccessError } from '../errors.js';
import type { Actor } from '../modules/audit/audit.service.js';
import type { SocketData } from './socket-data.js';
import type { Io } from './io.js';
import type { Socket } from 'socket.io';

export type CommandName = keyof ClientToServerEvents;
type AckData<N extends CommandName> = Parameters<Parameters<ClientToServerEvents[N]>[1]>[0] extends infer A
  ? A extends { ok: true; data: infer D }
    ? D
    : never
  : never;

export interface CommandContext {
  socket: Socket;
  data: SocketData;
  actor: Actor;
}

export interface CommandDefinition<N extends CommandName = CommandName> {
  name: N;
  access: Access;
  schema: z.ZodType<Parameters<ClientToServerEvents[N]>[0]>;
  handler: (payload: Parameters<ClientToServerEvents[N]>[0], ctx: CommandContext) => Promise<AckData<N>>;
}

export const defineCommand = <N extends CommandName>(def: CommandDefinition<N>) => def;

export const actorOf = (data: SocketData): Actor => ({ userId: data.userId, label: data.username, ip: data.ip, userAgent: data.userAgent });

export function allows(access: Access, roles: readonly string[]): boolean {
  if (access === 'public' || access === 'authenticated') return true;
  return access.some((r) => roles.includes(r));
}

export interface CommandErrorLogger {
  error(obj: object, msg: string): void;
}

/** Binds every command to a connected socket. */
export function bindCommands(socket: Socket, commands: CommandDefinition[], log: CommandErrorLogger) {
  for (const cmd of commands) {
    socket.on(cmd.name as string, async (payload: unknown, ack?: unknown) => {
      const reply = typeof ack === 'function' ? (ack as (r: unknown) => void) : () => {};
      const data = socket.data as SocketData;
      if (!allows(cmd.access, data.roles)) {
        reply({ ok: false, code: 'FORBIDDEN', message: `your role may not use ${cmd.name}` });
        return;
      }
      const parsed = cmd.schema.safeParse(payload ?? {});
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const path = issue?.path.join('.') || '(payload)';
        reply({ ok: false, code: 'VALIDATION_FAILED', message: `${path}: ${issue?.message ?? 'invalid'}` });
        return;
      }
      try {
        const result = await cmd.handler(parsed.data as never, { socket, data, actor: actorOf(data) });
        reply({ ok: true, data: result });
      } catch (caught) {
        // The database's refusals that are the caller's fault (an unknown id, a value too long)
        // are answered as the HTTP error handler answers them, not as an internal failure.
        const err = fromPrismaError(caught) ?? caught;
        if (err instanceof DomainError) {
          reply({ ok: false, code: err.code, message: err.message });
        } else {
          log.error({ err, command: cmd.name, userId: data.userId }, 'socket command failed');
          reply({ ok: false, code: 'INTERNAL', message: 'something went wrong; it has been logged' });
        }
      }
    });
  }
}

export function assertCommandsDeclareAccess(commands: CommandDefinition[]) {
  const missing = commands.filter((c) => c.access === undefined || c.access === null).map((c) => c.name);
  if (missing.length) throw new MissingAccessError('socket commands', missing);
}

export type { Io };

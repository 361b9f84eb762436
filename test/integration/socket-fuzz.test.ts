// Bad input over the socket: every socket command, from a user holding every role, gets junk
// payloads (wrong types, unknown and malformed ids, huge strings, NUL, out-of-range numbers). Each
// must be answered with a refusal that names the problem — never INTERNAL — and the server must
// stay up. The HTTP routes have their own fuzz test (fuzz-routes.test.ts).
import { ROLES } from '@trustline/shared';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { socketCommands } from '../../server/src/modules/registry.js';
import { startTestServer, type TestServer } from '../helpers/runtime.js';
import { closeAllSockets } from '../helpers/socket.js';
import { staffMember } from '../helpers/telephony.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer({ workers: false });
}, 60_000);
afterAll(async () => {
  closeAllSockets();
  await server?.close();
});

const JUNK: unknown[] = [
  '',
  'x'.repeat(100_000),
  'a\u0000b',
  "' OR 1=1 --",
  '<script>alert(1)</script>',
  -1,
  0,
  1e20,
  99999999999999999999,
  3.5,
  true,
  null,
  [],
  {},
  ['x'],
  randomUUID(),
  'not-a-uuid',
];

/** The keys a command's payload schema names, if it is an object schema. */
function keysOf(schema: unknown): string[] {
  const shape = (schema as { shape?: Record<string, unknown> }).shape;
  return shape ? Object.keys(shape) : [];
}

it('answers every socket command’s junk payload with a named refusal, never an internal error', async () => {
  const staff = await staffMember(server, [...ROLES]);
  const commands = socketCommands(server.services);
  const internal: string[] = [];
  let tried = 0;
  for (const cmd of commands) {
    const keys = keysOf(cmd.schema);
    const payloads: unknown[] = [undefined, ...JUNK, { extra: 'field' }];
    for (const key of keys) {
      for (const value of JUNK) payloads.push({ [key]: value });
      // Every named field a well-formed but unknown id: reaches the handler and the database.
      payloads.push(Object.fromEntries(keys.map((k) => [k, randomUUID()])));
    }
    for (const p of payloads) {
      tried++;
      const ack = await Promise.race([
        staff.cmd(cmd.name, p),
        new Promise<{ ok: false; code: string }>((r) => setTimeout(() => r({ ok: false, code: 'NO_ACK' }), 5_000)),
      ]);
      if (!ack.ok && (ack.code === 'INTERNAL' || ack.code === 'NO_ACK')) internal.push(`${cmd.name} ${JSON.stringify(p)?.slice(0, 120)} → ${ack.code}`);
      if (!ack.ok) expect((ack as { message?: string }).message ?? ack.code, `${cmd.name} refusal names nothing`).toBeTruthy();
    }
  }
  console.info(`[socket fuzz] ${commands.length} commands, ${tried} payloads, ${internal.length} internal errors`);
  expect(internal).toEqual([]);
  expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
}, 180_000);

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client, makeUser, signedIn } from '../helpers/http.js';
import { startTestServer, type TestServer } from '../helpers/runtime.js';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

describe('staff directory', () => {
  it('gives any signed-in user the active colleagues’ names and roles, nothing more', async () => {
    const { client, user } = await signedIn(server.url, server.services, ['operator']);
    const colleague = await makeUser(server.services, ['supervisor', 'coordinator']);
    const gone = await makeUser(server.services, ['operator']);
    await server.services.users.update(gone.id, { active: false }, { userId: null, label: 'test', ip: null, userAgent: null });

    const res = await client.get('/api/users/directory');
    expect(res.status).toBe(200);
    const ids = res.body.map((m: { id: string }) => m.id);
    expect(ids).toEqual(expect.arrayContaining([user.id, colleague.id]));
    expect(ids).not.toContain(gone.id);
    expect(res.body.find((m: { id: string }) => m.id === colleague.id)).toEqual({
      id: colleague.id,
      displayName: colleague.displayName,
      roles: ['supervisor', 'coordinator'],
    });
  });

  it('refuses anyone not signed in', async () => {
    const res = await new Client(server.url).get('/api/users/directory');
    expect(res.status).toBe(401);
  });
});

// Production shape: two `npm run server` nodes and two `npm run worker` processes over one
// PostgreSQL and one Redis (test/helpers/cluster.ts). Only the start-up check is here so far;
// the cross-node call, the 50-console race, SMS exactly once and the worker SIGKILL are to come.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startCluster, type Cluster } from '../helpers/cluster.js';

let cluster: Cluster;
beforeAll(async () => {
  cluster = await startCluster();
});
afterAll(async () => cluster?.close());

it('starts two servers and two workers over one database and Redis prefix', async () => {
  for (const s of cluster.servers) {
    const res = await fetch(`${s.url}/healthz`);
    expect(res.status).toBe(200);
  }
  for (const w of cluster.workers) expect(w.logLines().some((l) => l.msg === 'workers started')).toBe(true);
});

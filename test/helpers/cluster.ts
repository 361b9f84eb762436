// The production shape as real OS processes: `npm run server` and `npm run worker` entries
// (server/src/server.ts, worker.ts) over one PostgreSQL database copied from the migrated
// template and one Redis prefix, in Twilio simulator mode. Every node shares APP_SECRET, the
// Twilio auth token and PUBLIC_URL: webhooks are checked against PUBLIC_URL + path (never the
// Host header), so a webhook signed for PUBLIC_URL may be posted to either server's port, as a
// load balancer would. Workers get server A's PORT so the stand-in's status callbacks reach it.
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PrismaPg } from '@prisma/adapter-pg';
import { fieldCipher } from '../../server/src/crypto/fields.js';
import { withFieldEncryption } from '../../server/src/db/encryption.js';
import { PrismaClient } from '../../server/src/generated/prisma/client.js';
import { postWebhook, type SimTarget } from '../../server/src/modules/telephony/twilio-sim.js';
import { createTestDatabase } from './database.js';
import { TEST_REDIS_URL } from './env.js';
import { cleanEnv, startEntry, type Child } from './process.js';
import { deletePrefix, freePort, TEST_APP_SECRET } from './runtime.js';

export const CLUSTER_AUTH_TOKEN = 'cluster-twilio-auth-token-0123456789';
export const CLUSTER_ACCOUNT_SID = 'AC00000000000000000000000000000000';

export interface ClusterNode {
  readonly name: string;
  readonly kind: 'server' | 'worker';
  readonly port: number;
  /** This node's own address (servers); PUBLIC_URL is shared. */
  readonly url: string;
  child: Child;
  /** Everything this node printed, across restarts. */
  logs(): string;
  /** The JSON log lines, parsed (non-JSON lines skipped). */
  logLines(): Record<string, unknown>[];
}

export interface ClusterOptions {
  servers?: number;
  workers?: number;
  /** Extra settings for every process (e.g. stall detection knobs). */
  env?: Record<string, string>;
  /** Per-node overrides, e.g. a DATABASE_URL through a TCP proxy. */
  nodeEnv?: (name: string) => Record<string, string> | undefined;
}

const NAMES = 'abcdefgh';

export async function startCluster(opts: ClusterOptions = {}) {
  const db = await createTestDatabase();
  const prefix = `c${randomBytes(5).toString('hex')}`;
  // The processes' database as the application reads it: encrypted fields opened with the same
  // secret the processes are given (the raw rows hold ciphertext).
  const prisma = withFieldEncryption(
    new PrismaClient({ adapter: new PrismaPg({ connectionString: db.url, max: 4 }) }),
    fieldCipher({ appSecret: TEST_APP_SECRET, previous: [] }),
  );
  const serverPorts = await Promise.all(Array.from({ length: opts.servers ?? 2 }, () => freePort()));
  const publicUrl = `http://127.0.0.1:${serverPorts[0]}`;
  const dirs: string[] = [];
  const nodes: ClusterNode[] = [];

  const envFor = (name: string, port: number) => {
    const dataDir = mkdtempSync(join(tmpdir(), `tl-cluster-${name}-`));
    dirs.push(dataDir);
    return cleanEnv({
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: publicUrl,
      DATABASE_URL: db.url,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: prefix,
      APP_SECRET: TEST_APP_SECRET,
      DATA_DIR: dataDir,
      TWILIO_AUTH_TOKEN: CLUSTER_AUTH_TOKEN,
      LOG_LEVEL: 'info',
      MIGRATE_ON_START: 'false',
      ...opts.env,
      ...opts.nodeEnv?.(name),
    });
  };

  async function launch(kind: 'server' | 'worker', name: string, port: number, env: NodeJS.ProcessEnv, earlier = '') {
    const child = startEntry(`server/src/${kind}.ts`, [], env);
    const node: ClusterNode = {
      name,
      kind,
      port,
      url: `http://127.0.0.1:${port}`,
      child,
      logs: () => earlier + node.child.stdout() + node.child.stderr(),
      logLines: () =>
        node
          .logs()
          .split('\n')
          .flatMap((l) => {
            try {
              return l.startsWith('{') ? [JSON.parse(l)] : [];
            } catch {
              return [];
            }
          }),
    };
    await child.waitFor(kind === 'server' ? /Trust line console/ : /"msg":"workers started"/, 90_000);
    return node;
  }

  const envs = new Map<string, NodeJS.ProcessEnv>();
  const starts: Promise<ClusterNode>[] = [];
  serverPorts.forEach((port, i) => {
    const name = `server-${NAMES[i]}`;
    envs.set(name, envFor(name, port));
    starts.push(launch('server', name, port, envs.get(name)!));
  });
  for (let i = 0; i < (opts.workers ?? 2); i++) {
    const name = `worker-${NAMES[i]}`;
    envs.set(name, envFor(name, serverPorts[0]!));
    starts.push(launch('worker', name, serverPorts[0]!, envs.get(name)!));
  }
  nodes.push(...(await Promise.all(starts)));

  const target = (node: ClusterNode): SimTarget => ({ baseUrl: node.url, publicUrl, authToken: CLUSTER_AUTH_TOKEN, accountSid: CLUSTER_ACCOUNT_SID });
  const byName = (name: string) => nodes.find((n) => n.name === name)!;

  return {
    db,
    prefix,
    prisma,
    publicUrl,
    nodes,
    servers: nodes.filter((n) => n.kind === 'server'),
    workers: nodes.filter((n) => n.kind === 'worker'),
    node: byName,
    target,
    /** A signed webhook, as Twilio would send it through the load balancer to `node`. */
    webhook: (node: ClusterNode, path: string, params: Record<string, string>) => postWebhook(target(node), path, params),
    /** SIGKILL: no shutdown hooks run, as in a crash or an OOM kill. */
    async kill(node: ClusterNode) {
      node.child.proc.kill('SIGKILL');
      await node.child.exited;
    },
    /** Starts a stopped node again with the same settings; its earlier logs are kept. */
    async restart(node: ClusterNode) {
      const fresh = await launch(node.kind, node.name, node.port, envs.get(node.name)!, node.logs());
      node.child = fresh.child;
      (node as { logs: () => string }).logs = fresh.logs;
      return node;
    },
    async close() {
      for (const n of nodes) {
        if (n.child.proc.exitCode !== null || n.child.proc.signalCode !== null) continue;
        n.child.proc.kill('SIGTERM');
        await Promise.race([n.child.exited, new Promise((r) => setTimeout(r, 10_000))]);
        if (n.child.proc.exitCode === null) n.child.proc.kill('SIGKILL');
      }
      await prisma.$disconnect();
      await deletePrefix(TEST_REDIS_URL, prefix).catch(() => {});
      await db.drop();
      for (const d of dirs) rmSync(d, { recursive: true, force: true });
    },
  };
}
export type Cluster = Awaited<ReturnType<typeof startCluster>>;

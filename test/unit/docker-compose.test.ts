// docker-compose.yml cannot run on this machine, so it is read: the services, their health
// checks, persistence and environment, and that every variable the app services set is one
// server/src/config.ts reads. The Dockerfile is read for what the compose file relies on.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { configVariables } from '../helpers/env-schema.js';
import { ROOT } from '../helpers/process.js';

interface Service {
  image?: string;
  build?: unknown;
  command?: string[] | string;
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
  depends_on?: Record<string, { condition: string }>;
  healthcheck?: { test?: string[] | string; disable?: boolean };
}
const compose = parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};
const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
const { services } = compose;
const words = (v: string[] | string | undefined) => (Array.isArray(v) ? v.join(' ') : (v ?? ''));
const namedVolume = (s: Service, target: string) => {
  const v = s.volumes?.find((x) => x.endsWith(`:${target}`));
  return v?.split(':')[0];
};

describe('docker-compose.yml', () => {
  it('runs postgres, redis, server and worker', () => {
    expect(Object.keys(services).sort()).toEqual(['postgres', 'redis', 'server', 'worker']);
  });

  it('keeps PostgreSQL 16 on a named volume, with a pg_isready health check', () => {
    const pg = services.postgres!;
    expect(pg.image).toMatch(/^postgres:16/);
    const volume = namedVolume(pg, '/var/lib/postgresql/data');
    expect(volume && volume in compose.volumes).toBe(true);
    expect(words(pg.healthcheck?.test)).toContain('pg_isready');
  });

  it('keeps Redis 7 with append-only persistence on a named volume, with a ping health check', () => {
    const redis = services.redis!;
    expect(redis.image).toMatch(/^redis:7/);
    expect(words(redis.command)).toMatch(/--appendonly yes/);
    const volume = namedVolume(redis, '/data');
    expect(volume && volume in compose.volumes).toBe(true);
    expect(words(redis.healthcheck?.test)).toMatch(/redis-cli.*ping/);
  });

  it('builds the server from the Dockerfile, after healthy stores, listening on 0.0.0.0:3000 with a /healthz check', () => {
    const server = services.server!;
    expect(server.build).toBeTruthy();
    expect(server.depends_on).toMatchObject({ postgres: { condition: 'service_healthy' }, redis: { condition: 'service_healthy' } });
    const env = server.environment!;
    expect(env.DATABASE_URL).toMatch(/^postgresql:\/\/.*@postgres:5432\//);
    expect(env.REDIS_URL).toBe('redis://redis:6379');
    expect(env.APP_SECRET).toBeTruthy();
    expect(env.PUBLIC_URL).toBeTruthy();
    expect(env.HOST).toBe('0.0.0.0');
    expect(String(env.PORT)).toBe('3000');
    expect(server.ports).toContain('3000:3000');
    expect(words(server.healthcheck?.test)).toContain('/healthz');
    expect(String(env.MIGRATE_ON_START)).toBe('true');
  });

  it('runs the worker from the same image (server/src/worker.ts, as npm run worker), leaving migrations to the server', () => {
    const worker = services.worker!;
    expect(worker.image ?? worker.build).toBeTruthy();
    expect(worker.image).toBe(services.server!.image);
    // Not through npm: npm does not pass SIGTERM on, and the worker must finish its jobs.
    expect(words(worker.command)).toBe('node --import tsx server/src/worker.ts');
    expect(JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')).scripts.worker).toBe('tsx server/src/worker.ts');
    expect(String(worker.environment!.MIGRATE_ON_START)).toBe('false');
    expect(worker.depends_on).toMatchObject({ postgres: { condition: 'service_healthy' }, redis: { condition: 'service_healthy' } });
    // Same stores and the same secret as the server: one deployment.
    for (const k of ['DATABASE_URL', 'REDIS_URL', 'REDIS_PREFIX', 'APP_SECRET']) expect(worker.environment![k], k).toBe(services.server!.environment![k]);
    // Secrets generated into DATA_DIR are the same for both, and survive a new container.
    const dataVolume = namedVolume(services.server!, '/app/data');
    expect(dataVolume && dataVolume in compose.volumes).toBe(true);
    expect(namedVolume(worker, '/app/data')).toBe(dataVolume);
    // The image's HTTP health check would fail on a worker, which listens on nothing.
    expect(worker.healthcheck?.disable).toBe(true);
  });

  it('sets only variables that server/src/config.ts reads, on the app services', () => {
    const known = new Set(configVariables().map((v) => v.name));
    for (const name of ['server', 'worker']) {
      const unknown = Object.keys(services[name]!.environment ?? {}).filter((k) => !known.has(k));
      expect(unknown, name).toEqual([]);
    }
  });
});

describe('Dockerfile', () => {
  it('builds on node:20-bookworm-slim with npm ci, our prisma generate and the console build, and runs as a non-root user', () => {
    expect(dockerfile).toMatch(/^FROM node:20-bookworm-slim$/m);
    expect(dockerfile).toMatch(/RUN npm ci/);
    expect(dockerfile).toMatch(/npm run db:generate/);
    expect(dockerfile).toMatch(/npm run build/);
    const user = dockerfile.match(/^USER (\S+)$/m)?.[1];
    expect(user).toBeTruthy();
    expect(user).not.toBe('root');
    // tsx in the one Node process, so `docker stop`'s SIGTERM reaches the server (npx would swallow it).
    expect(dockerfile).toMatch(/^CMD \["node", "--import", "tsx", "server\/src\/server.ts"\]$/m);
  });

  it('leaves local state and secrets out of the build context', () => {
    const ignored = readFileSync(join(ROOT, '.dockerignore'), 'utf8').split('\n');
    for (const p of ['node_modules', 'data', '.env', '.git']) expect(ignored).toContain(p);
  });
});

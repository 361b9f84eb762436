import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/src/config.js';

const dataDir = mkdtempSync(join(tmpdir(), 'tl-config-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));
const base = { DATA_DIR: dataDir, APP_SECRET: 'x'.repeat(40) };

const problemsOf = (env: Record<string, string>) => {
  try {
    loadConfig({ ...base, ...env });
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return (err as ConfigError).problems;
  }
  throw new Error('loadConfig accepted a bad value');
};

describe('loadConfig', () => {
  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['DATABASE_URL', 'mysql://localhost/x'],
    ['REDIS_URL', 'http://localhost'],
    ['PUBLIC_URL', 'not a url'],
    ['LOG_LEVEL', 'loud'],
    ['MIGRATE_ON_START', 'maybe'],
    ['SESSION_TTL_HOURS', '0'],
    ['APP_SECRET', 'short'],
    ['REDIS_PREFIX', 'has spaces'],
    ['BODY_LIMIT_BYTES', '-1'],
  ])('refuses %s=%s with a ConfigError naming the variable and the value', (name, value) => {
    const problems = problemsOf({ [name]: value });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(`${name}=${JSON.stringify(value)}`);
  });

  it('names every bad variable at once', () => {
    const problems = problemsOf({ PORT: 'abc', LOG_LEVEL: 'loud' });
    expect(problems.map((p) => p.split('=')[0]).sort()).toEqual(['LOG_LEVEL', 'PORT']);
  });

  it('applies the defaults: embedded PGlite under DATA_DIR, port 3000, loopback, migrations on', () => {
    const c = loadConfig(base);
    expect(c.port).toBe(3000);
    expect(c.host).toBe('127.0.0.1');
    expect(c.publicUrl).toBe('http://localhost:3000');
    expect(c.database).toEqual({ kind: 'pglite', dir: join(dataDir, 'pglite') });
    expect(c.redisUrl).toBeUndefined();
    expect(c.migrateOnStart).toBe(true);
    expect(c.session.secureCookies).toBe(false);
    expect(Object.isFrozen(c)).toBe(true);
  });

  it('reads switches as words, so "false" is false', () => {
    const c = loadConfig({ ...base, MIGRATE_ON_START: 'false', TRUST_PROXY: 'yes', DATABASE_URL: 'postgresql://u@h/db', PUBLIC_URL: 'https://line.example/' });
    expect(c.migrateOnStart).toBe(false);
    expect(c.trustProxy).toBe(true);
    expect(c.database).toEqual({ kind: 'postgres', url: 'postgresql://u@h/db' });
    expect(c.publicUrl).toBe('https://line.example');
    expect(c.session.secureCookies).toBe(true);
  });

  it('generates APP_SECRET once when unset and keeps it under DATA_DIR', () => {
    const first = loadConfig({ DATA_DIR: dataDir });
    const second = loadConfig({ DATA_DIR: dataDir });
    expect(first.appSecret.length).toBeGreaterThanOrEqual(32);
    expect(second.appSecret).toBe(first.appSecret);
    expect(readFileSync(join(dataDir, 'app-secret'), 'utf8').trim()).toBe(first.appSecret);
  });
});

// Runs the real entry files (server, start, CLIs) as child processes, the way a person or a
// container would, through tsx's loader in a single Node process so signals reach the app itself.
import { spawn, type ChildProcess } from 'node:child_process';
import { resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');

/** The parent's environment without anything that would point the child at another deployment. */
export function cleanEnv(extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  for (const k of ['DATABASE_URL', 'REDIS_URL', 'REDIS_PREFIX', 'PORT', 'PUBLIC_URL', 'APP_SECRET', 'DATA_DIR', 'NODE_OPTIONS']) delete env[k];
  for (const [k, v] of Object.entries(extra)) {
    if (v === undefined) delete env[k];
    else env[k] = v;
  }
  return env;
}

export interface Child {
  proc: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Resolves with the exit code (a signal counts as null). */
  exited: Promise<number | null>;
  /** Waits until stdout+stderr match, or fails with what was printed. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
}

export function startEntry(file: string, args: string[], env: NodeJS.ProcessEnv, input?: string): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', file, ...args], { cwd: ROOT, env, stdio: ['pipe', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  const listeners = new Set<() => void>();
  proc.stdout!.on('data', (d) => {
    out += d;
    for (const l of listeners) l();
  });
  proc.stderr!.on('data', (d) => {
    err += d;
    for (const l of listeners) l();
  });
  if (input !== undefined) proc.stdin!.end(input);
  const exited = new Promise<number | null>((res) => proc.once('close', (code) => res(code)));
  return {
    proc,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitFor(pattern, timeoutMs = 30_000) {
      return new Promise((res, rej) => {
        const check = () => {
          const m = (out + err).match(pattern);
          if (m) {
            done();
            res(m);
          }
        };
        const timer = setTimeout(() => {
          done();
          rej(new Error(`timed out waiting for ${pattern}; stdout:\n${out}\nstderr:\n${err}`));
        }, timeoutMs);
        const onExit = () => {
          check();
          done();
          rej(new Error(`process exited before ${pattern}; stdout:\n${out}\nstderr:\n${err}`));
        };
        const done = () => {
          clearTimeout(timer);
          listeners.delete(check);
          proc.off('close', onExit);
        };
        listeners.add(check);
        proc.once('close', onExit);
        check();
      });
    },
  };
}

/** Runs an entry to completion. */
export async function runEntry(file: string, args: string[], env: NodeJS.ProcessEnv, input?: string) {
  const child = startEntry(file, args, env, input ?? '');
  const code = await child.exited;
  return { code, stdout: child.stdout(), stderr: child.stderr() };
}

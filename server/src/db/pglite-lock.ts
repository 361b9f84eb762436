// PGlite is PostgreSQL inside one process: a second process opening the same directory keeps its
// own copy of the pages and the two overwrite each other's writes (a user created by
// `npm run user:create` beside a running `npm start` was reported as created and then could not
// sign in). So whoever opens an embedded database first holds `<dir>.lock`, created exclusively
// and holding its pid; anyone else is refused with a DatabaseInUseError until it stops. A lock left by a
// process that died without releasing it (SIGKILL, power loss) names a pid that no longer runs,
// and is taken over.
import { closeSync, linkSync, openSync, readFileSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename } from 'node:path';
import { randomBytes } from 'node:crypto';

export class DatabaseInUseError extends Error {
  readonly code = 'DATABASE_IN_USE';
  constructor(
    readonly dir: string,
    readonly lockFile: string,
    readonly holder: LockHolder,
  ) {
    const who = holder.pid === process.pid ? 'this process' : `process ${holder.pid}${holder.command ? ` (${holder.command})` : ''}`;
    super(
      `The embedded database in ${dir} is in use by ${who}. Stop it first, or set DATABASE_URL to use PostgreSQL.\n` +
        `(PGlite serves one process at a time. If no such process is running, delete ${lockFile}.)`,
    );
    this.name = 'DatabaseInUseError';
  }
}

export interface LockHolder {
  pid: number;
  /** What the holder was started as, e.g. "npm start" or "npm run user:create" (from its entry file). */
  command?: string;
  startedAt?: string;
  /** Tells this holding apart from an earlier one by a process that happened to get the same pid. */
  token?: string;
}

export interface DirLock {
  readonly file: string;
  release(): void;
}

export const lockFileOf = (dir: string) => `${dir.replace(/\/+$/, '')}.lock`;

/** Lock files this process holds: a stale file with our own pid (a container restarted with the
 * same pid) is not one of them and is taken over; one of them is a second open in this process. */
const held = new Map<string, string>();

/** The npm command behind each entry file, for the refusal message. */
const COMMANDS: Record<string, string> = {
  'start.ts': 'npm start',
  'server.ts': 'npm run server',
  'worker.ts': 'npm run worker',
  'user-create.ts': 'npm run user:create',
  'db-migrate.ts': 'npm run db:migrate',
  'seed-contacts.ts': 'npm run seed:contacts',
};

function describeSelf(): string {
  const script = basename(process.argv[1] ?? process.argv0);
  return COMMANDS[script] ?? script;
}

function readHolder(file: string): LockHolder | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
  try {
    const parsed = JSON.parse(text) as LockHolder;
    if (Number.isInteger(parsed.pid) && parsed.pid > 0) return parsed;
  } catch {
    // not a lock this code wrote
  }
  // No holder it could name, so it counts as stale.
  return { pid: 0 };
}

function isAlive(holder: LockHolder, file: string): boolean {
  if (holder.pid <= 0) return false;
  if (holder.pid === process.pid) return held.get(file) === holder.token;
  try {
    process.kill(holder.pid, 0);
    return true;
  } catch (err) {
    // EPERM: it runs, as another user.
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** The live holder of the lock on `dir`, if any (a check only; nothing is taken). */
export function lockHolder(dir: string): LockHolder | undefined {
  const file = lockFileOf(dir);
  const holder = readHolder(file);
  return holder && isAlive(holder, file) ? holder : undefined;
}

/** Refuses with a DatabaseInUseError when another live process holds `dir`. */
export function assertUnlocked(dir: string): void {
  const holder = lockHolder(dir);
  if (holder) throw new DatabaseInUseError(dir, lockFileOf(dir), holder);
}

export function lockDirectory(dir: string): DirLock {
  const file = lockFileOf(dir);
  const me: LockHolder = { pid: process.pid, command: describeSelf(), startedAt: new Date().toISOString(), token: randomBytes(8).toString('hex') };
  // The lock is written whole under a private name and then linked into place: link(2) fails if
  // the name exists, exclusive like O_EXCL, and no one ever reads a half-written lock.
  const draft = `${file}.${process.pid}-${me.token}`;
  const fd = openSync(draft, 'wx', 0o600);
  try {
    writeSync(fd, `${JSON.stringify(me)}\n`);
  } finally {
    closeSync(fd);
  }
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        linkSync(draft, file);
        break;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST' || attempt >= 5) throw err;
      }
      const holder = readHolder(file);
      if (!holder) continue; // released meanwhile
      if (isAlive(holder, file)) throw new DatabaseInUseError(dir, file, holder);
      takeOverStale(file, dir);
    }
  } finally {
    unlinkSync(draft);
  }
  held.set(file, me.token!);
  const releaseOnExit = () => release();
  process.once('exit', releaseOnExit);
  let released = false;
  function release() {
    if (released) return;
    released = true;
    process.off('exit', releaseOnExit);
    held.delete(file);
    try {
      // Only our own lock: never one that someone took over after judging ours stale.
      if (readHolder(file)?.token === me.token) unlinkSync(file);
    } catch {
      // already gone, or unreadable: a lock left behind is taken over as stale
    }
  }
  return { file, release };
}

/** Moves a stale lock aside. The rename is atomic, so of two processes taking over the same stale
 * lock only one moves it; should the other have moved a fresh lock made in between, it puts that
 * back (link fails if the name is taken again) and reports the database as in use. */
function takeOverStale(file: string, dir: string) {
  const aside = `${file}.stale-${process.pid}-${randomBytes(4).toString('hex')}`;
  try {
    renameSync(file, aside);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw err;
  }
  const moved = readHolder(aside);
  if (moved && isAlive(moved, file)) {
    try {
      linkSync(aside, file);
    } catch {
      // someone else holds it now; the refusal below stands either way
    }
    unlinkSync(aside);
    throw new DatabaseInUseError(dir, file, moved);
  }
  unlinkSync(aside);
}

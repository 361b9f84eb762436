// npm run user:reset-totp -- --username NAME
//
// Clears a staff member's two-factor set-up from the shell, for when no administrator can sign
// in to do it in the console (the only administrator lost their phone and their recovery codes).
// At their next sign-in they set two-factor up again with a new QR code. Audited as
// `auth.totp.reset` by the system actor `system:cli`. Check who is asking before running it.
//
// Exit codes: 0 reset; 1 no such user or the database is unreachable (or, when embedded, in use
// by another process); 2 bad usage.
import { parseArgs } from 'node:util';
import { loadConfigOrExit } from '../config.js';
import { openMigratedOrExit } from './open-database.js';
import { transactor } from '../db/tx.js';
import { auditRepository } from '../modules/audit/audit.repository.js';
import { auditService, systemActor } from '../modules/audit/audit.service.js';
import { authRepository } from '../modules/auth/auth.repository.js';

const USAGE = `Usage: npm run user:reset-totp -- --username NAME
  Clears NAME's two-factor sign-in; they set it up again at their next sign-in.
  With the embedded database (no DATABASE_URL), stop the server first.`;

function fail(message: string, code: 1 | 2): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

let args: { username?: string; help?: boolean };
try {
  args = parseArgs({ args: process.argv.slice(2), options: { username: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, strict: true }).values;
} catch (err) {
  fail(`${(err as Error).message}\n${USAGE}`, 2);
}
if (args.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
if (!args.username) fail(`--username is required.\n${USAGE}`, 2);

const config = loadConfigOrExit();
const db = await openMigratedOrExit(config, 'Nothing was changed.');

const repo = authRepository(db.prisma);
const audit = auditService(auditRepository(db.prisma));
let exitCode = 0;
try {
  const user = await repo.findUserForLogin(args.username);
  if (!user) {
    exitCode = 1;
    process.stderr.write(`No user "${args.username}"; nothing was changed.\n`);
  } else {
    await transactor(db.prisma)(async (tx) => {
      await repo.disableTotp(user.id, tx);
      await audit.record(systemActor('cli'), 'auth.totp.reset', { entity: 'User', entityId: user.id, detail: { wasOn: !!user.totpEnabledAt } }, tx);
    });
    process.stdout.write(`Two-factor sign-in of ${user.username} is reset; they set it up again at their next sign-in at ${config.publicUrl}\n`);
  }
} catch (err) {
  exitCode = 1;
  process.stderr.write(`Failed: ${(err as Error).message}\n`);
} finally {
  await db.close();
}
process.exit(exitCode);

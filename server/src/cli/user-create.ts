// npm run user:create -- --username NAME --role admin [--role operator …] [--display-name X] [--password P]
//
// Makes a staff account from the shell, through the same users service as the console, so it is
// validated by the shared schemas and audited (as the system actor `system:cli`). Without
// --password the password is read from standard input: prompted twice without echo on a
// terminal, or the first line of piped input.
//
// "Created" is printed only once the new account has been read back and its password verified
// through the same check that sign-in uses (auth.service checkCredentials).
//
// Exit codes: 0 created; 1 refused (the username is taken, the database is unreachable or, when
// embedded, in use by another process) or not verified; 2 bad usage or input (named on stderr).
import { parseArgs } from 'node:util';
import { createInterface } from 'node:readline';
import { CreateUserBody } from '@trustline/shared';
import { loadConfigOrExit } from '../config.js';
import { openMigratedOrExit } from './open-database.js';
import { transactor } from '../db/tx.js';
import { DomainError } from '../errors.js';
import { auditRepository } from '../modules/audit/audit.repository.js';
import { auditService, systemActor } from '../modules/audit/audit.service.js';
import { authRepository } from '../modules/auth/auth.repository.js';
import { checkCredentials } from '../modules/auth/auth.service.js';
import { usersRepository } from '../modules/users/users.repository.js';
import { usersService } from '../modules/users/users.service.js';

const USAGE = `Usage: npm run user:create -- --username NAME --role ROLE [--role ROLE …] [--display-name "Full Name"] [--password P]
  Roles: operator, coordinator, supervisor, admin (repeat --role for several).
  Without --password the password is read from standard input.
  With the embedded database (no DATABASE_URL), stop the server first: PGlite serves one process,
  and this command refuses while another one holds it.`;

/** Which command-line option each field of CreateUserBody comes from, for error messages. */
const OPTION_OF: Record<string, string> = { username: '--username', displayName: '--display-name', password: '--password', roles: '--role' };

function fail(message: string, code: 1 | 2): never {
  process.stderr.write(`${message}\n`);
  process.exit(code);
}

function parse() {
  try {
    return parseArgs({
      args: process.argv.slice(2),
      options: {
        username: { type: 'string' },
        role: { type: 'string', multiple: true },
        'display-name': { type: 'string' },
        password: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }).values;
  } catch (err) {
    fail(`${(err as Error).message}\n${USAGE}`, 2);
  }
}

/** One line from a terminal, without echoing what is typed. */
function promptHidden(question: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: true });
    const output = rl as unknown as { _writeToOutput: (s: string) => void };
    let asked = false;
    output._writeToOutput = (s: string) => {
      // The question is written once; every echo of a typed character is swallowed.
      if (!asked) {
        asked = true;
        process.stderr.write(s);
      }
    };
    rl.question(question, (answer) => {
      process.stderr.write('\n');
      rl.close();
      resolve(answer);
    });
    rl.on('SIGINT', () => {
      rl.close();
      reject(new Error('cancelled'));
    });
  });
}

/** The first line of piped standard input. */
async function readFirstLine(): Promise<string> {
  const rl = createInterface({ input: process.stdin, terminal: false });
  for await (const line of rl) {
    rl.close();
    return line;
  }
  return '';
}

async function readPassword(): Promise<string> {
  if (!process.stdin.isTTY) return readFirstLine();
  const first = await promptHidden('Password: ');
  const again = await promptHidden('Repeat the password: ');
  if (first !== again) fail('The two passwords differ; nothing was created.', 2);
  return first;
}

const args = parse();
if (args.help) {
  process.stdout.write(`${USAGE}\n`);
  process.exit(0);
}
if (!args.username) fail(`--username is required.\n${USAGE}`, 2);
if (!args.role?.length) fail(`at least one --role is required.\n${USAGE}`, 2);

const password = args.password ?? (await readPassword().catch(() => fail('Cancelled; nothing was created.', 2)));
const parsed = CreateUserBody.safeParse({
  username: args.username,
  displayName: args['display-name'] ?? args.username,
  password,
  roles: args.role,
});
if (!parsed.success) {
  const problems = parsed.error.issues.map((i) => `  ${OPTION_OF[String(i.path[0])] ?? String(i.path[0])}: ${i.message}`);
  fail(`Invalid input; nothing was created:\n${problems.join('\n')}`, 2);
}

const config = loadConfigOrExit();
const db = await openMigratedOrExit(config, 'Nothing was created.');

const prisma = db.prisma;
const users = usersService({
  repo: usersRepository(prisma),
  audit: auditService(auditRepository(prisma)),
  transaction: transactor(prisma),
  // A new account has no sessions to end.
  sessions: { endSessionsOf: () => {} },
});

let exitCode = 0;
try {
  const user = await users.create(parsed.data, systemActor('cli'));
  const check = await checkCredentials(authRepository(prisma), parsed.data.username, parsed.data.password);
  if (!check.canSignIn || check.user?.id !== user.id) {
    throw new Error(
      `the account ${user.username} was written, but reading it back it cannot sign in with that password; ` +
        'check that no other process uses this database, then try signing in',
    );
  }
  process.stdout.write(`Created ${user.username} (${user.roles.join(', ')}). Sign in at ${config.publicUrl}\n`);
  const required = user.roles.filter((r) => config.totpRequiredRoles.includes(r));
  if (required.length) {
    process.stdout.write(
      `Two-factor sign-in is required for ${required.join(', ')}: at the first sign-in the console shows a QR code to scan with an ` +
        `authenticator app (Google Authenticator, Microsoft Authenticator, FreeOTP, Aegis…), asks for one code and shows recovery codes once.\n`,
    );
  }
} catch (err) {
  exitCode = 1;
  if (err instanceof DomainError) {
    const field = err.fields?.[0];
    process.stderr.write(`Refused: ${field ? `${OPTION_OF[field.path] ?? field.path}: ` : ''}${err.message}\n`);
  } else {
    process.stderr.write(`Failed: ${(err as Error).message}\n`);
  }
} finally {
  await db.close();
}
process.exit(exitCode);

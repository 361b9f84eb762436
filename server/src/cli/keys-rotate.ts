// npm run keys:rotate — seals again, with the key from ENCRYPTION_SECRET (unset: APP_SECRET), every personal field that is
// still plaintext or sealed under an older key (ENCRYPTION_SECRET_PREVIOUS), and writes the blind indexes
// anew; in batches, resumable (run it again after an interruption: it carries on). Progress bar on a
// terminal. Works on PGlite (stop `npm start` first: one process per data directory) and on
// PostgreSQL (may run beside the servers). docs/privacy.md "Encryption at rest".
//   npm run keys:rotate [-- --batch 500] [-- --check]
import { parseArgs } from 'node:util';
import { loadConfigOrExit } from '../config.js';
import { openDatabaseOrExit } from './open-database.js';
import { rotateKeys, staleRows, type RotateProgress } from '../db/rotate.js';

const { values } = parseArgs({ options: { batch: { type: 'string', default: '500' }, check: { type: 'boolean', default: false } } });
const batch = Number(values.batch);
if (!Number.isInteger(batch) || batch < 1 || batch > 10_000) {
  process.stderr.write('--batch must be a whole number from 1 to 10000\n');
  process.exit(2);
}
const config = loadConfigOrExit();
const db = await openDatabaseOrExit(config.database, config.keys);
const cipher = db.cipher!;
const tty = process.stdout.isTTY === true;
const WIDTH = 30;

function bar(p: RotateProgress) {
  const share = p.total ? Math.min(1, p.done / p.total) : 1;
  const filled = Math.round(share * WIDTH);
  const failed = p.failed ? `  (${p.failed} could not be opened)` : '';
  return `${p.model.padEnd(16)} [${'█'.repeat(filled)}${'░'.repeat(WIDTH - filled)}] ${String(p.done).padStart(8)} / ${p.total}${failed}`;
}

try {
  process.stdout.write(`Current key id ${cipher.kid}; key ring: ${cipher.kids.join(', ')}\n`);
  if (values.check) {
    const stale = await staleRows(db.raw, cipher);
    const total = Object.values(stale).reduce((a, b) => a + b, 0);
    for (const [model, n] of Object.entries(stale)) if (n) process.stdout.write(`${model}: ${n} rows to re-seal\n`);
    process.stdout.write(total ? `${total} rows are plaintext or under an older key.\n` : 'Every encrypted field is sealed with the current key.\n');
    process.exitCode = total ? 1 : 0;
  } else {
    let last = '';
    const result = await rotateKeys(db.raw, cipher, {
      batch,
      onProgress: (p) => {
        if (tty) process.stdout.write(`\r${bar(p)}`);
        if (p.done >= p.total && last !== p.model) {
          last = p.model;
          process.stdout.write(tty ? '\n' : `${bar(p)}\n`);
        }
      },
    });
    process.stdout.write(`Re-sealed ${result.rows} rows.\n`);
    if (result.failed) {
      process.stderr.write(
        `${result.failed} rows could not be opened with ENCRYPTION_SECRET (or APP_SECRET) or ENCRYPTION_SECRET_PREVIOUS ` +
          '(altered, or sealed with a secret not listed); they were left as they are.\n',
      );
      process.exitCode = 1;
    }
  }
} finally {
  await db.close();
}

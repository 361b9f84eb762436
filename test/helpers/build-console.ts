// Vitest globalSetup for the e2e project: builds the console once per run when console/dist is
// missing or older than its sources. Builds into a temporary folder and swaps it in, so a
// server of another run that is serving console/dist never sees half a build.
import { existsSync, readdirSync, renameSync, rmSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'vite';

const root = resolve(import.meta.dirname, '../..');
const consoleDir = join(root, 'console');
const dist = join(consoleDir, 'dist');
const sources = [join(consoleDir, 'src'), join(consoleDir, 'index.html'), join(consoleDir, 'vite.config.ts'), join(root, 'shared/src')];

function newest(path: string): number {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = st.mtimeMs;
  for (const entry of readdirSync(path)) max = Math.max(max, newest(join(path, entry)));
  return max;
}

export function consoleIsStale(): boolean {
  const index = join(dist, 'index.html');
  if (!existsSync(index)) return true;
  return Math.max(...sources.map(newest)) > statSync(index).mtimeMs;
}

export default async function buildConsole() {
  if (!consoleIsStale()) return;
  const tmp = `${dist}.tmp-${process.pid}`;
  await build({ configFile: join(consoleDir, 'vite.config.ts'), logLevel: 'warn', build: { outDir: tmp, emptyOutDir: true, sourcemap: false } });
  try {
    rmSync(dist, { recursive: true, force: true });
    renameSync(tmp, dist);
  } catch (err) {
    // Another run swapped its own fresh build in first: keep that one.
    rmSync(tmp, { recursive: true, force: true });
    if (!existsSync(join(dist, 'index.html'))) throw err;
  }
}

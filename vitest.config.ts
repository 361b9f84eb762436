import { fileURLToPath } from 'node:url';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { defineConfig } from 'vitest/config';

const alias = { '@trustline/shared': fileURLToPath(new URL('./shared/src/index.ts', import.meta.url)) };

export default defineConfig({
  resolve: { alias },
  test: {
    // Integration files each get their own database and Redis prefix, so they run in parallel.
    projects: [
      // Each project has its own sequence.groupOrder: Vitest refuses to run projects with different
      // maxWorkers in one group, and in turn they run unit → integration → e2e, which also keeps a
      // small machine from running browsers and servers for all three at once.
      {
        resolve: { alias },
        plugins: [svelte()],
        test: { name: 'unit', include: ['test/unit/**/*.test.ts'], environment: 'node', sequence: { groupOrder: 0 } },
      },
      {
        resolve: { alias },
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/helpers/global-setup.ts'],
          testTimeout: 30_000,
          hookTimeout: 60_000,
          pool: 'forks',
          maxWorkers: 3,
          sequence: { groupOrder: 1 },
        },
      },
      {
        resolve: { alias },
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          globalSetup: ['test/helpers/global-setup.ts', 'test/helpers/build-console.ts'],
          testTimeout: 60_000,
          hookTimeout: 120_000,
          pool: 'forks',
          maxWorkers: 2,
          sequence: { groupOrder: 2 },
        },
      },
      {
        // The shapes users run and the faults they meet: the real entry files as separate OS
        // processes (npm start on PGlite; two servers and two workers on PostgreSQL), stores cut
        // off under load. Each file starts its own processes, so two at a time on two cores.
        resolve: { alias },
        test: {
          name: 'system',
          include: ['test/shapes/**/*.test.ts', 'test/faults/**/*.test.ts'],
          globalSetup: ['test/helpers/global-setup.ts', 'test/helpers/build-console.ts'],
          testTimeout: 180_000,
          hookTimeout: 180_000,
          pool: 'forks',
          maxWorkers: 2,
          sequence: { groupOrder: 3 },
        },
      },
    ],
  },
});

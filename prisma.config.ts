// Prisma 7 CLI configuration. The CLI is used here only for `prisma generate` (see
// scripts/prisma-generate.mjs); migrations run offline through server/src/db/migrate.ts.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema',
  migrations: { path: 'prisma/migrations' },
});

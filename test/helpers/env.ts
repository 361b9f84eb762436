// Where the tests find PostgreSQL and Redis. Defaults match the machine's own services.
export const TEST_DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
export const TEST_REDIS_URL = process.env.TEST_REDIS_URL ?? 'redis://127.0.0.1:6379';
/** The migrated template every test database is copied from. Each run makes its own (global-setup
 * names it in TL_TEST_TEMPLATE_DB, which the test workers inherit), so two runs started side by
 * side on one machine never drop each other's template. */
export const templateDb = () => process.env.TL_TEST_TEMPLATE_DB ?? `${new URL(TEST_DATABASE_URL).pathname.slice(1)}_template`;

export function databaseUrl(name: string) {
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  return url.toString();
}

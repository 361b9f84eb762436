// Bad input is refused here, once, for every route: PostgreSQL's text type cannot hold NUL
// (U+0000), so a NUL that reached a query would fail as a 500 after part of the work was done.
// This walks the parsed body, query and params before validation and answers 400 naming the
// first field that holds one. Twilio's webhooks opt out (config.nul: 'replace'): Twilio does not
// retry a refused SMS, so they keep the message and replace NUL themselves (webhooks.routes.ts).
import fp from 'fastify-plugin';
import { invalid } from '../errors.js';

/** The path of the first string (value or key) holding NUL, or null. */
export function findNul(value: unknown, path: string, depth = 0): string | null {
  if (typeof value === 'string') return value.includes('\u0000') ? path : null;
  if (!value || typeof value !== 'object' || depth > 32) return null;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const hit = findNul(value[i], `${path}.${i}`, depth + 1);
      if (hit) return hit;
    }
    return null;
  }
  for (const [k, v] of Object.entries(value)) {
    if (k.includes('\u0000')) return `${path}.${k.replaceAll('\u0000', '\\0')}`;
    const hit = findNul(v, `${path}.${k}`, depth + 1);
    if (hit) return hit;
  }
  return null;
}

/** NUL replaced by U+FFFD in every string of a flat form: the text stays readable and it shows
 * where a character was lost, where removing it would silently join two words. */
export function replaceNul<T extends Record<string, unknown>>(form: T): T {
  for (const [k, v] of Object.entries(form))
    if (typeof v === 'string' && v.includes('\u0000')) (form as Record<string, unknown>)[k] = v.replaceAll('\u0000', '\uFFFD');
  return form;
}

export default fp(
  async (app) => {
    app.addHook('preValidation', async (req) => {
      if (req.routeOptions.config.nul === 'replace') return;
      const hit = findNul(req.params, 'params') ?? findNul(req.query, 'querystring') ?? findNul(req.body, 'body');
      if (hit) throw invalid(hit, 'must not contain the NUL character (\\u0000)');
    });
  },
  { name: 'input' },
);

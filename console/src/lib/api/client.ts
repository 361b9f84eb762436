// The one HTTP client. Sends the session cookie (same origin), adds the CSRF token to changes,
// validates answers with the shared zod schemas and turns error bodies into `ApiFailure`,
// whose `fields` map a form field name to its message.
import { ApiError } from '@trustline/shared';
import type { z } from 'zod';

export class ApiFailure extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Bad input by field name (`username`, `roles`), from the server's `fields`. */
    readonly fields: Record<string, string> = {},
    /** Seconds to wait before trying again (429 with Retry-After). */
    readonly retryAfter: number | null = null,
  ) {
    super(message);
    this.name = 'ApiFailure';
  }
}

const SAFE = new Set(['GET', 'HEAD']);
let csrfToken = '';
let refreshCsrf: (() => Promise<void>) | null = null;
const unauthenticated = new Set<() => void>();

/** The session's CSRF token, from login or `/api/auth/me`. */
export const setCsrfToken = (token: string) => {
  csrfToken = token;
};
/** How to get a fresh CSRF token when the server refuses one (the session provides it). */
export const setCsrfRefresher = (fn: () => Promise<void>) => {
  refreshCsrf = fn;
};
/** Called when a signed-in request answers 401: the session has ended on the server. */
export function onUnauthenticated(fn: () => void): () => void {
  unauthenticated.add(fn);
  return () => unauthenticated.delete(fn);
}

/** `body.roles.0` → `roles`: the name of the form field the server complains about. */
export const fieldName = (path: string) => path.replace(/^(body|querystring|params)\.?/, '').split('.')[0] || '(form)';

async function toFailure(res: Response): Promise<ApiFailure> {
  const parsed = ApiError.safeParse(await res.json().catch(() => null));
  const retry = Number(res.headers.get('retry-after'));
  const retryAfter = Number.isFinite(retry) && retry > 0 ? retry : null;
  if (!parsed.success) return new ApiFailure(res.status, res.status >= 500 ? 'INTERNAL' : 'BAD_REQUEST', res.statusText, {}, retryAfter);
  const fields: Record<string, string> = {};
  for (const f of parsed.data.fields ?? []) fields[fieldName(f.path)] ??= f.message;
  return new ApiFailure(res.status, parsed.data.code, parsed.data.message, fields, retryAfter);
}

export interface RequestOptions<S extends z.ZodType | undefined> {
  body?: unknown;
  query?: Record<string, string | number | boolean | null | undefined>;
  /** Validates the answer; its type is the call's result. */
  schema?: S;
  signal?: AbortSignal;
}

type Result<S> = S extends z.ZodType ? z.infer<S> : void;

export async function request<S extends z.ZodType | undefined = undefined>(
  method: 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE',
  path: string,
  opts: RequestOptions<S> = {},
  retried = false,
): Promise<Result<S>> {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(opts.query ?? {})) if (v !== undefined && v !== null && v !== '') qs.set(k, String(v));
  const url = qs.size ? `${path}?${qs}` : path;
  const headers: Record<string, string> = { accept: 'application/json' };
  if (opts.body !== undefined) headers['content-type'] = 'application/json';
  if (!SAFE.has(method) && csrfToken) headers['x-csrf-token'] = csrfToken;

  let res: Response;
  try {
    res = await fetch(url, {
      method,
      headers,
      credentials: 'same-origin',
      body: opts.body !== undefined ? JSON.stringify(opts.body) : undefined,
      signal: opts.signal,
    });
  } catch (err) {
    if ((err as Error).name === 'AbortError') throw err;
    throw new ApiFailure(0, 'NETWORK', 'the server cannot be reached');
  }

  if (!res.ok) {
    const failure = await toFailure(res);
    // A stale CSRF token (a new session in another tab): fetch a fresh one and try once more.
    if (res.status === 403 && failure.code.startsWith('FST_CSRF') && refreshCsrf && !retried) {
      await refreshCsrf();
      return request(method, path, opts, true);
    }
    if (res.status === 401 && !path.startsWith('/api/auth/')) for (const fn of unauthenticated) fn();
    throw failure;
  }
  if (res.status === 204 || !opts.schema) return undefined as Result<S>;
  return opts.schema.parse(await res.json()) as Result<S>;
}

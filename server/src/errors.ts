// Domain errors carry a stable code; the one error handler (plugins/errors.ts) maps codes to
// HTTP statuses and socket acks. Messages of 4xx errors are shown to people, so they never hold
// personal data.

export type ErrorStatus = 400 | 401 | 403 | 404 | 409 | 410 | 413 | 422 | 423 | 429 | 503;

export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: ErrorStatus = 400,
    readonly fields?: { path: string; message: string }[],
    readonly headers?: Record<string, string>,
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const notFound = (what: string) => new DomainError('NOT_FOUND', `${what} was not found`, 404);
export const forbidden = (message = 'your role may not do this') => new DomainError('FORBIDDEN', message, 403);
export const unauthenticated = () => new DomainError('UNAUTHENTICATED', 'sign in first', 401);
export const conflict = (code: string, message: string) => new DomainError(code, message, 409);
export const invalid = (path: string, message: string) => new DomainError('VALIDATION_FAILED', `${path}: ${message}`, 400, [{ path, message }]);

/**
 * Start-up refuses a route or a socket command registered without an access declaration (deny by
 * default). Not a DomainError: it never reaches a caller, it stops the process before it listens.
 */
export class MissingAccessError extends Error {
  constructor(kind: 'routes' | 'socket commands', names: string[]) {
    const where = kind === 'routes' ? 'routes without an access declaration (config.access)' : 'socket commands without an access declaration';
    super(`${where}: ${names.join(', ')}`);
    this.name = 'MissingAccessError';
  }
}

// Database refusals that are the caller's fault, turned into domain errors naming the field, so
// the one error handler answers 4xx instead of 500. Prisma reports them as known request errors
// (P2003 foreign key, P2025 record missing, P2000 too long, P2020/P2033 number out of range);
// through a driver adapter the constraint name arrives in meta.driverAdapterError. A number too
// large for an integer column comes as a validation error instead.
import { DomainError } from '../errors.js';

interface KnownError {
  code: string;
  meta?: Record<string, unknown>;
  message: string;
}

const isKnown = (err: unknown): err is KnownError =>
  !!err &&
  typeof err === 'object' &&
  typeof (err as KnownError).code === 'string' &&
  /^P\d{4}$/.test((err as KnownError).code) &&
  (err as Error).name?.startsWith('PrismaClient');

/** The field a constraint or column guards: `Service_organizationId_fkey` → organizationId. */
function fieldOf(meta: Record<string, unknown> | undefined): string | null {
  const text = JSON.stringify(meta ?? {});
  const fkey = /"([A-Za-z0-9]+)_([A-Za-z0-9_]+?)_fkey"/.exec(text);
  if (fkey) return fkey[2]!;
  const named = meta?.field_name ?? meta?.column_name;
  if (typeof named === 'string')
    return named
      .replace(/^.*\./, '')
      .replace(/[()"]/g, '')
      .replace(/_fkey.*$/, '');
  const column = /"column":\s*"([^"]+)"/.exec(text);
  return column ? column[1]!.replace(/^.*\./, '') : null;
}

/** A number too large for its integer column is refused by Prisma itself, before any query, as a
 * validation error (which otherwise means a query the code got wrong, a real 500). */
const UNFIT = /Unable to fit value \S+ into a \d+-bit signed integer for field `(\w+)`/;

export function fromPrismaError(err: unknown): DomainError | null {
  if (err instanceof Error && err.name === 'PrismaClientValidationError') {
    const field = UNFIT.exec(err.message)?.[1];
    if (!field) return null;
    const path = `body.${field}`;
    return new DomainError('VALIDATION_FAILED', `${path}: number is out of range`, 400, [{ path, message: 'number is out of range' }]);
  }
  if (!isKnown(err)) return null;
  const field = fieldOf(err.meta);
  const path = field ? `body.${field}` : 'body';
  switch (err.code) {
    case 'P2003':
      return new DomainError('REFERENCE_NOT_FOUND', `${field ?? 'a referenced record'}: no such record`, 422, [
        { path, message: 'refers to a record that does not exist' },
      ]);
    case 'P2025':
      return new DomainError('NOT_FOUND', 'the record was not found', 404);
    case 'P2000':
      return new DomainError('VALIDATION_FAILED', `${path}: is too long`, 400, [{ path, message: 'is too long' }]);
    case 'P2020':
    case 'P2033':
      return new DomainError('VALIDATION_FAILED', `${path}: number is out of range`, 400, [{ path, message: 'number is out of range' }]);
    default:
      return null;
  }
}

// Database refusals that are the caller's fault become 4xx domain errors naming the field.
import { describe, expect, it } from 'vitest';
import { fromPrismaError } from '../../server/src/db/prisma-errors.js';

const validationError = (message: string) => Object.assign(new Error(message), { name: 'PrismaClientValidationError' });

describe('fromPrismaError', () => {
  it('answers a number too large for its integer column with 400 naming the field', () => {
    const err = fromPrismaError(
      validationError(
        '\nInvalid `tx.message.update()` invocation\n\nUnable to fit value 100000000000000000000 into a 64-bit signed integer for field `errorCode`',
      ),
    );
    expect(err).toMatchObject({ status: 400, code: 'VALIDATION_FAILED', fields: [{ path: 'body.errorCode', message: 'number is out of range' }] });
  });

  it('leaves any other validation error a 500: it is a query the code got wrong', () => {
    expect(fromPrismaError(validationError('Unknown argument `nmae`. Did you mean `name`?'))).toBeNull();
  });
});

import { describe, expect, it } from 'vitest';
import { translatePrismaError } from '../../src/db/prisma-errors.ts';

const knownError = (code: string, meta?: unknown) =>
  Object.assign(new Error('from the database'), { name: 'PrismaClientKnownRequestError', code, meta });

describe('database errors as API errors', () => {
  it('when the database rolls a transaction back in a deadlock, through a model query or a raw one, then 503 write_conflict', () => {
    expect(translatePrismaError(knownError('P2034'))).toMatchObject({ status: 503, code: 'write_conflict' });
    const raw = knownError('P2010', { driverAdapterError: { cause: { originalCode: '40P01', kind: 'TransactionWriteConflict' } } });
    expect(translatePrismaError(raw)).toMatchObject({ status: 503, code: 'write_conflict' });
  });

  it('when a raw query fails for another reason, then it stays unexpected (a 500)', () => {
    expect(
      translatePrismaError(knownError('P2010', { driverAdapterError: { cause: { originalCode: '42601', kind: 'postgres' } } })),
    ).toBeUndefined();
  });
});

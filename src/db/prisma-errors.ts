import { AppError, ConflictError, NotFoundError, WriteConflictError } from '../errors.ts';

interface KnownRequestError {
  name: string;
  code: string;
  meta?: {
    target?: unknown;
    modelName?: string;
    field_name?: unknown;
    driverAdapterError?: { cause?: { kind?: string; constraint?: { fields?: string[] } } };
  };
}

function isKnownRequestError(error: unknown): error is KnownRequestError {
  return typeof error === 'object' && error !== null && (error as { name?: string }).name === 'PrismaClientKnownRequestError';
}

/**
 * Turns the database errors a request can cause into API errors, in one place. Both generated
 * clients throw their own error classes, so they are recognised by name and code.
 */
export function translatePrismaError(error: unknown): AppError | undefined {
  if (!isKnownRequestError(error)) return undefined;
  // A raw query reports a deadlock as P2010 and says what it was in the driver's error.
  if (error.meta?.driverAdapterError?.cause?.kind === 'TransactionWriteConflict') return new WriteConflictError();
  switch (error.code) {
    case 'P2002': {
      const fields = uniqueFields(error);
      return new ConflictError(
        `A record with the same ${fields.join(', ') || 'value'} already exists.`,
        'already_exists',
        fields.length ? { fields } : {},
      );
    }
    case 'P2003':
    case 'P2014':
      return new ConflictError('The record is referred to by other records, or refers to one that does not exist.', 'still_referenced');
    case 'P2025':
      return new NotFoundError('record');
    case 'P2034':
      // A deadlock or serialization failure: the database rolled the transaction back whole.
      return new WriteConflictError();
    default:
      return undefined;
  }
}

function uniqueFields(error: KnownRequestError): string[] {
  const target = error.meta?.target ?? error.meta?.driverAdapterError?.cause?.constraint?.fields;
  if (Array.isArray(target)) return target.map(String);
  if (typeof target === 'string') return [target.replace(/^.*?_(\w+)_key$/, '$1')];
  return [];
}

import { notAnsweringMessage } from './answer-watch.ts';
import { type AppError, ConflictError, DatabaseUnavailableError, NotFoundError, WriteConflictError } from '../errors.ts';

interface KnownRequestError {
  name: string;
  code: string;
  meta?: {
    target?: unknown;
    modelName?: string;
    field_name?: unknown;
    driverAdapterError?: { cause?: { kind?: string; originalCode?: string; constraint?: { fields?: string[] } } };
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
  if (isDatabaseUnavailable(error)) return new DatabaseUnavailableError();
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

// pg and its pool reject with plain errors (no code) when a connection fails or times out; the adapter passes them on as they are.
const unansweredConnectionMessages = new Set([
  'Query read timeout',
  'Connection terminated',
  'Connection terminated unexpectedly',
  'Connection terminated due to connection timeout',
  'timeout exceeded when trying to connect',
  'Client has encountered a connection error and is not queryable',
  notAnsweringMessage,
]);
// Prisma's codes: cannot reach, timed out, socket timeout, connection closed, pool timeout, too many connections.
const unavailableCodes = new Set(['P1001', 'P1002', 'P1008', 'P1017', 'P2024', 'P2037']);
const unavailableKinds = new Set(['DatabaseNotReachable', 'SocketTimeout', 'ConnectionClosed', 'TooManyConnections']);
// PostgreSQL's: a statement or idle transaction past its timeout, the server shutting down or starting, too many connections.
const unavailableSqlStates = new Set(['57014', '25P03', '57P01', '57P02', '57P03', '53300']);

/** Whether an error says the database did not answer (rather than refused what was asked): the caller may retry. */
function isDatabaseUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  if (error.name === 'Error' && unansweredConnectionMessages.has(error.message)) return true;
  if (!isKnownRequestError(error)) return false;
  // Prisma gave up waiting for a connection to begin a transaction on.
  if (error.code === 'P2028' && error.message.includes('Unable to start a transaction in the given time')) return true;
  const cause = error.meta?.driverAdapterError?.cause;
  const sqlState = cause?.originalCode ?? '';
  return (
    unavailableCodes.has(error.code) ||
    unavailableKinds.has(cause?.kind ?? '') ||
    unavailableSqlStates.has(sqlState) ||
    sqlState.startsWith('08') // connection exceptions
  );
}

function uniqueFields(error: KnownRequestError): string[] {
  const target = error.meta?.target ?? error.meta?.driverAdapterError?.cause?.constraint?.fields;
  if (Array.isArray(target)) return target.map(String);
  if (typeof target === 'string') return [target.replace(/^.*?_(\w+)_key$/, '$1')];
  return [];
}

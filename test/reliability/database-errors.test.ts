import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { translatePrismaError } from '../../src/db/prisma-errors.ts';

const knownError = (code: string, message = 'from the database', meta?: unknown) =>
  Object.assign(new Error(message), { name: 'PrismaClientKnownRequestError', code, meta });
const fromDriver = (code: string, cause: Record<string, unknown>) => knownError(code, 'from the driver', { driverAdapterError: { cause } });
// What pg and its pool reject with, passed on by the adapter as they are (as seen through a partition).
const fromPg = (message: string) => new Error(message);

describe('database errors that mean the database did not answer', () => {
  it.each([
    ['a statement past statement_timeout, raw', fromDriver('P2010', { kind: 'postgres', originalCode: '57014' })],
    ['a statement past statement_timeout, through a model', fromDriver('P2039', { kind: 'postgres', originalCode: '57014' })],
    ['a transaction idle past its timeout', fromDriver('P2039', { kind: 'postgres', originalCode: '25P03' })],
    ['the server shutting down', fromDriver('P2010', { kind: 'postgres', originalCode: '57P01' })],
    ['the server starting up', fromDriver('P2039', { kind: 'postgres', originalCode: '57P03' })],
    ['a connection failure', fromDriver('P2039', { kind: 'postgres', originalCode: '08006' })],
    ['too many connections', fromDriver('P2037', { kind: 'TooManyConnections' })],
    ['a refused connection, raw', fromDriver('P2010', { kind: 'DatabaseNotReachable', host: '127.0.0.1', port: 5432 })],
    ['a refused connection, through a model', knownError('P1001')],
    ['a closed connection', knownError('P1017')],
    ['a socket timeout', knownError('P1008')],
    ['no connection from the pool in time', knownError('P2024')],
    ['no transaction started in time', knownError('P2028', 'Transaction API error: Unable to start a transaction in the given time.')],
    ['no answer within query_timeout', fromPg('Query read timeout')],
    ['no connection within the connect timeout', fromPg('Connection terminated due to connection timeout')],
    ['no free pooled connection within the connect timeout', fromPg('timeout exceeded when trying to connect')],
    ['a connection cut', fromPg('Connection terminated unexpectedly')],
    ['a connection the server ended', fromPg('Client has encountered a connection error and is not queryable')],
  ])('when %s, then 503 database_unavailable', (_, error) => {
    expect(translatePrismaError(error)).toMatchObject({ status: 503, code: 'database_unavailable' });
  });

  it.each([
    ['a syntax error in a raw query', fromDriver('P2010', { kind: 'postgres', originalCode: '42601' })],
    [
      'a transaction that ran past its own timeout',
      knownError('P2028', 'Transaction API error: A query cannot be executed on an expired transaction.'),
    ],
    ['any other error', fromPg('Cannot read properties of undefined')],
  ])('when %s, then it is not database_unavailable', (_, error) => {
    expect(translatePrismaError(error)?.code).not.toBe('database_unavailable');
  });

  it('when a unique constraint fails, then it is still 409 already_exists', () => {
    expect(translatePrismaError(knownError('P2002', 'unique', { target: ['slug'] }))).toMatchObject({
      status: 409,
      code: 'already_exists',
    });
  });
});

describe('timeout settings', () => {
  it('when none is set, then PostgreSQL and the HTTP server get the documented defaults', () => {
    const config = loadConfig({});
    expect(config.databaseTimeouts).toEqual({ connectMs: 5000, statementMs: 30_000, idleInTransactionMs: 30_000 });
    expect(config.httpServer).toEqual({ headersMs: 20_000, requestMs: 300_000, keepAliveMs: 5000 });
  });

  it('when the headers may take longer than the whole request, then the server refuses to start', () => {
    expect(() => loadConfig({ HTTP_HEADERS_TIMEOUT_MS: '60000', HTTP_REQUEST_TIMEOUT_MS: '30000' })).toThrow(/HTTP_HEADERS_TIMEOUT_MS/);
    expect(loadConfig({ HTTP_HEADERS_TIMEOUT_MS: '60000', HTTP_REQUEST_TIMEOUT_MS: '0' }).httpServer.requestMs).toBe(0);
  });
});

import { PrismaClient as SqliteClient } from '../generated/sqlite/client.ts';
import { PrismaClient as PostgresClient } from '../generated/postgresql/client.ts';
import { answersWithin, watchAnswers, type AnswerWatchSettings } from './answer-watch.ts';
import { createAdapterFactory, dialectOf, type Dialect } from './dialect.ts';
import { isolateSqliteQueries } from './sqlite-isolation.ts';
import { escapeSqliteLike } from './sqlite-like-escape.ts';
import { writeAhead } from './sqlite-journal.ts';
import { reuseSqliteStatements } from './sqlite-statement-cache.ts';
import type { DatabaseTimeouts } from '../config.ts';

/**
 * The application codes against the SQLite client's types; the PostgreSQL client is generated from
 * the same model and has the same shape, so it is used through the same type.
 */
export type Prisma = SqliteClient;
export type PrismaTx = Parameters<Parameters<Prisma['$transaction']>[0]>[0];
export type { Prisma as PrismaNamespace } from '../generated/sqlite/client.ts';

export interface Database {
  prisma: Prisma;
  dialect: Dialect;
  /** Answers true when the database takes a query within a second (the first time: ten, to load the client's engine). */
  isReachable(): Promise<boolean>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** PostgreSQL's connect, statement and idle-in-transaction limits. */
  timeouts?: DatabaseTimeouts;
  /** PostgreSQL: when to check that the database still answers, and fail at once while it does not (none: no watch). */
  answerWatch?: AnswerWatchSettings;
  /** Called with each SQL statement (query-count tests). */
  onQuery?: (sql: string) => void;
}

export function createDatabase(databaseUrl: string, { timeouts, answerWatch, onQuery }: DatabaseOptions = {}): Database {
  const dialect = dialectOf(databaseUrl);
  const factory = createAdapterFactory(databaseUrl, timeouts, { isPreparingOnce: true });
  // A file in the process cannot stop answering the way a server behind a network can: SQLite needs no watch.
  const watched = dialect === 'postgresql' && answerWatch?.probeAfterMs ? watchAnswers(factory, answerWatch) : undefined;
  const adapter =
    dialect === 'sqlite'
      ? isolateSqliteQueries(escapeSqliteLike(reuseSqliteStatements(writeAhead(factory))))
      : (watched?.factory ?? factory);
  const options = { adapter, ...(onQuery ? { log: [{ level: 'query' as const, emit: 'event' as const }] } : {}) };
  const prisma = (dialect === 'postgresql'
    ? new PostgresClient(options as ConstructorParameters<typeof PostgresClient>[0])
    : new SqliteClient(options as ConstructorParameters<typeof SqliteClient>[0])) as unknown as Prisma;
  if (onQuery)
    (prisma as unknown as { $on(event: 'query', cb: (e: { query: string }) => void): void }).$on('query', (e) => onQuery(e.query));
  let hasAnswered = false;
  return {
    prisma,
    dialect,
    isReachable: async () => {
      const isAnswered = await answersWithin(hasAnswered ? reachableWithinMs : firstAnswerWithinMs, () =>
        prisma.$queryRawUnsafe('SELECT 1'),
      );
      hasAnswered ||= isAnswered;
      return isAnswered;
    },
    close: async () => {
      watched?.watch.stop();
      await prisma.$disconnect();
    },
  };
}

// Under a prober's usual one-second timeout: /ready answers 503 while the database does not answer, rather than hang with it.
const reachableWithinMs = 1000;
// The client's first query loads its query engine first, which takes a second or two on a busy machine.
const firstAnswerWithinMs = 10_000;

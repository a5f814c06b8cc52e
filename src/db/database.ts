import { PrismaClient as SqliteClient } from '../generated/sqlite/client.ts';
import { PrismaClient as PostgresClient } from '../generated/postgresql/client.ts';
import { createAdapterFactory, dialectOf, type Dialect } from './dialect.ts';
import { isolateSqliteQueries } from './sqlite-isolation.ts';

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
  /** Answers true when the database takes a query. */
  isReachable(): Promise<boolean>;
  close(): Promise<void>;
}

export function createDatabase(databaseUrl: string, onQuery?: (sql: string) => void): Database {
  const dialect = dialectOf(databaseUrl);
  const factory = createAdapterFactory(databaseUrl);
  const adapter = dialect === 'sqlite' ? isolateSqliteQueries(factory) : factory;
  const options = { adapter, ...(onQuery ? { log: [{ level: 'query' as const, emit: 'event' as const }] } : {}) };
  const prisma = (dialect === 'postgresql'
    ? new PostgresClient(options as ConstructorParameters<typeof PostgresClient>[0])
    : new SqliteClient(options as ConstructorParameters<typeof SqliteClient>[0])) as unknown as Prisma;
  if (onQuery)
    (prisma as unknown as { $on(event: 'query', cb: (e: { query: string }) => void): void }).$on('query', (e) => onQuery(e.query));
  return {
    prisma,
    dialect,
    isReachable: async () => {
      try {
        await prisma.$queryRawUnsafe('SELECT 1');
        return true;
      } catch {
        return false;
      }
    },
    close: () => prisma.$disconnect(),
  };
}

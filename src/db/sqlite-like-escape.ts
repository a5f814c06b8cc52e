import type { SqlDriverAdapter, SqlDriverAdapterFactory, SqlQuery, Transaction } from '@prisma/driver-adapter-utils';

// How Prisma writes contains, startsWith and endsWith for SQLite: LIKE with no ESCAPE clause.
const prismaLike = /\bLIKE (\((?:'%' \|\| )?\?(?: \|\| '%')?\))(?! ESCAPE)/g;

/** The statement with a backslash as the escape of each LIKE Prisma wrote, as PostgreSQL's LIKE has by default. */
export function withLikeEscape(sql: string): string {
  return sql.replace(prismaLike, "LIKE $1 ESCAPE '\\'");
}

/**
 * SQLite's LIKE has no escape character unless told, and Prisma tells it none: a `%` or `_` in a search could
 * not be matched as itself (prisma/prisma#23611). Every statement gets the backslash escape PostgreSQL has by
 * default, so one escaping (shared/like-pattern.ts) means the same on both dialects.
 */
export function escapeSqliteLike(factory: SqlDriverAdapterFactory): SqlDriverAdapterFactory {
  return new Proxy(factory, {
    get(target, property, receiver) {
      if (property === 'connect') return async () => rewriting(await target.connect());
      const value = Reflect.get(target, property, receiver) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

function rewriting<T extends SqlDriverAdapter | Transaction>(queryable: T): T {
  return new Proxy(queryable, {
    get(target, property, receiver) {
      if (property === 'queryRaw' || property === 'executeRaw') {
        return (query: SqlQuery) => target[property]({ ...query, sql: withLikeEscape(query.sql) });
      }
      if (property === 'startTransaction' && 'startTransaction' in target) {
        return async (...args: Parameters<SqlDriverAdapter['startTransaction']>) => rewriting(await target.startTransaction(...args));
      }
      const value = Reflect.get(target, property, receiver) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

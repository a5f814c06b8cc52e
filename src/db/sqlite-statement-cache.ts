import type { SqlDriverAdapter, SqlDriverAdapterFactory } from '@prisma/driver-adapter-utils';
import type BetterSqlite3 from 'better-sqlite3';

/** Statements kept prepared per connection: every statement text the app writes, with room to spare. */
const MAX_STATEMENTS = 1000;

type Statement = BetterSqlite3.Statement<unknown[]>;

/**
 * Prisma's better-sqlite3 adapter prepares every statement again each time it runs it, and for a public
 * read written in SQL (one statement with its relations nested as JSON) preparing costs more than running.
 * Here each statement text is prepared once per connection and reused: the adapter is handed a statement
 * that binds its arguments for one run instead of for good (better-sqlite3 allows one bind per statement).
 * SQLite prepares a kept statement again by itself when the schema changes.
 */
export function reuseSqliteStatements(factory: SqlDriverAdapterFactory): SqlDriverAdapterFactory {
  return new Proxy(factory, {
    get(target, property, receiver) {
      if (property === 'connect') return async () => keepingStatements(await target.connect());
      const value = Reflect.get(target, property, receiver) as unknown;
      return typeof value === 'function' ? value.bind(target) : value;
    },
  });
}

function keepingStatements(adapter: SqlDriverAdapter): SqlDriverAdapter {
  const client = (adapter as unknown as { client?: BetterSqlite3.Database }).client;
  // Not the adapter this was written against: leave it as it is.
  if (!client || typeof client.prepare !== 'function') return adapter;
  const prepareOnce = client.prepare.bind(client);
  const kept = new Map<string, Statement>();
  const prepared = (source: string): Statement => {
    let statement = kept.get(source);
    if (statement) {
      // Most recently used last, so the oldest goes first when the cache is full.
      kept.delete(source);
    } else {
      statement = prepareOnce(source) as Statement;
      if (kept.size >= MAX_STATEMENTS) kept.delete(kept.keys().next().value!);
    }
    kept.set(source, statement);
    return statement;
  };
  const reusable = (statement: Statement) => ({
    get reader() {
      return statement.reader;
    },
    columns: () => statement.columns(),
    run: (...args: unknown[]) => statement.run(...args),
    bind: (args: unknown[]) => ({
      reader: statement.reader,
      columns: () => statement.columns(),
      run: () => statement.run(...args),
      raw: () => ({ all: () => statement.raw(true).all(...args) }),
    }),
  });
  client.prepare = ((source: string) => reusable(prepared(source))) as unknown as typeof client.prepare;
  return adapter;
}

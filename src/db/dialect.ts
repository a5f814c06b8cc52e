import { mkdirSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { PrismaBetterSqlite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import type { PoolConfig } from 'pg';
import type { DatabaseTimeouts } from '../config.ts';
import { statementNames } from './pg-statement-names.ts';

export type Dialect = 'sqlite' | 'postgresql';

export function dialectOf(databaseUrl: string): Dialect {
  return /^postgres(ql)?:\/\//i.test(databaseUrl) ? 'postgresql' : 'sqlite';
}

/**
 * `file:./data/cms.db`, `./data/cms.db` or `:memory:` → the path better-sqlite3 opens. Its folder is
 * created on the way, so the first start on a fresh checkout needs nothing made by hand.
 */
export function sqlitePathOf(databaseUrl: string): string {
  const path = databaseUrl.replace(/^file:/, '').replace(/\?.*$/, '');
  if (path === ':memory:') return path;
  const absolute = resolve(path);
  mkdirSync(dirname(absolute), { recursive: true });
  return absolute;
}

/**
 * The driver adapter for a database URL; the same factory serves the client and the migration engine.
 * The client passes timeouts so that a database that stops answering fails requests instead of hanging
 * them; migrations pass none, since a migration's statement may rightly run long.
 */
export function createAdapterFactory(
  databaseUrl: string,
  timeouts?: DatabaseTimeouts,
  { isPreparingOnce = false } = {},
): PrismaBetterSqlite3 | PrismaPg {
  if (dialectOf(databaseUrl) === 'postgresql') {
    const url = new URL(databaseUrl);
    const schema = url.searchParams.get('schema') ?? undefined;
    url.searchParams.delete('schema');
    // The app's client keeps its statements prepared (SQLite's: sqlite-statement-cache.ts); a migration's run once each.
    const statementNameGenerator = isPreparingOnce ? statementNames() : undefined;
    return new PrismaPg(
      { connectionString: url.toString(), max: 10, ...poolTimeouts(timeouts) },
      { ...(schema ? { schema } : {}), ...(statementNameGenerator ? { statementNameGenerator } : {}) },
    );
  }
  const path = sqlitePathOf(databaseUrl);
  // A writer waits for a busy database instead of failing at once.
  return new PrismaBetterSqlite3({ url: path, timeout: 5000 });
}

// The client-side read timeout: it fires when the server does not answer at all (it cancels a slow statement itself, a moment earlier).
const unansweredGraceMs = 1000;

/** pg's pool and session settings for the timeouts (0: no limit, pg's own default). */
function poolTimeouts(timeouts: DatabaseTimeouts | undefined): PoolConfig {
  if (!timeouts) return {};
  return {
    connectionTimeoutMillis: timeouts.connectMs,
    ...(timeouts.statementMs ? { statement_timeout: timeouts.statementMs, query_timeout: timeouts.statementMs + unansweredGraceMs } : {}),
    ...(timeouts.idleInTransactionMs ? { idle_in_transaction_session_timeout: timeouts.idleInTransactionMs } : {}),
  };
}

import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import pg from 'pg';
import type { MigrationList } from '@prisma/schema-engine-wasm';
import { dialectOf, sqlitePathOf, type Dialect } from './dialect.ts';
import { migrationsRoot, schemaForDialect } from './schema-source.ts';
import { openSchemaEngine } from './schema-engine.ts';

export class MigrationError extends Error {
  override name = 'MigrationError';
}

const noFilters = { externalTables: [], externalEnums: [] };

/** Reads a migrations folder the way `prisma migrate deploy` does: one folder per migration, in name order. */
export function readMigrationList(dir: string): MigrationList {
  const lockPath = join(dir, 'migration_lock.toml');
  const names = existsSync(dir)
    ? readdirSync(dir, { withFileTypes: true })
        .filter((e) => e.isDirectory())
        .map((e) => e.name)
        .sort()
    : [];
  return {
    baseDir: dir,
    lockfile: { path: 'migration_lock.toml', content: existsSync(lockPath) ? readFileSync(lockPath, 'utf8') : null },
    shadowDbInitScript: '',
    migrationDirectories: names.map((name) => {
      const file = join(dir, name, 'migration.sql');
      return {
        path: name,
        migrationFile: {
          path: 'migration.sql',
          content: existsSync(file) ? { tag: 'ok', value: readFileSync(file, 'utf8') } : { tag: 'error', value: `${file} is missing` },
        },
      };
    }),
  };
}

export function migrationsDirFor(dialect: Dialect): string {
  return join(migrationsRoot, dialect);
}

/**
 * Applies the pending migrations with Prisma's schema engine, which records them in
 * `_prisma_migrations` exactly as `prisma migrate deploy` does. The engine does not wrap a migration
 * in a transaction, so every pending migration is first run inside one that is rolled back: a
 * migration that fails there stops us before anything is changed.
 */
export async function migrateDatabase(databaseUrl: string, migrationsDir = migrationsDirFor(dialectOf(databaseUrl))): Promise<string[]> {
  const dialect = dialectOf(databaseUrl);
  const list = readMigrationList(migrationsDir);
  const unreadable = list.migrationDirectories.find((m) => m.migrationFile.content.tag === 'error');
  if (unreadable) throw new MigrationError(`Migration ${unreadable.path} cannot be read: ${unreadable.migrationFile.content.value}`);

  const applied = new Set(await readAppliedMigrationNames(databaseUrl));
  const pending = list.migrationDirectories
    .filter((m) => !applied.has(m.path))
    .map((m) => ({ name: m.path, sql: m.migrationFile.content.value as string }));
  if (pending.length === 0) return [];
  await tryMigrationsAndRollBack(databaseUrl, pending);

  const { engine, close } = await openSchemaEngine(databaseUrl, 'schema.prisma', schemaForDialect(dialect));
  try {
    const result = await engine.applyMigrations({ migrationsList: list, filters: noFilters });
    return result.appliedMigrationNames;
  } catch (error) {
    throw new MigrationError(`Applying migrations failed: ${describe(error)}`);
  } finally {
    await close();
  }
}

async function readAppliedMigrationNames(databaseUrl: string): Promise<string[]> {
  const query = 'SELECT migration_name AS name FROM _prisma_migrations WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL';
  if (dialectOf(databaseUrl) === 'sqlite') {
    const db = new Sqlite(sqlitePathOf(databaseUrl));
    try {
      const hasTable = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = '_prisma_migrations'").get();
      return hasTable ? (db.prepare(query).all() as { name: string }[]).map((r) => r.name) : [];
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ exists: string | null }>("SELECT to_regclass('_prisma_migrations') AS exists");
    if (!rows[0]?.exists) return [];
    return (await client.query<{ name: string }>(query)).rows.map((r) => r.name);
  } finally {
    await client.end();
  }
}

async function tryMigrationsAndRollBack(databaseUrl: string, pending: { name: string; sql: string }[]): Promise<void> {
  const fail = (name: string, error: unknown) =>
    new MigrationError(`Migration ${name} failed, so none was applied and the database is unchanged: ${describe(error)}`);
  if (dialectOf(databaseUrl) === 'sqlite') {
    const db = new Sqlite(sqlitePathOf(databaseUrl));
    try {
      db.exec('BEGIN');
      try {
        for (const m of pending) {
          try {
            db.exec(m.sql);
          } catch (error) {
            throw fail(m.name, error);
          }
        }
      } finally {
        db.exec('ROLLBACK');
      }
    } finally {
      db.close();
    }
    return;
  }
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query('BEGIN');
    try {
      for (const m of pending) {
        try {
          await client.query(m.sql);
        } catch (error) {
          throw fail(m.name, error);
        }
      }
    } finally {
      await client.query('ROLLBACK');
    }
  } finally {
    await client.end();
  }
}

function describe(error: unknown): string {
  if (error instanceof Error) return error.message;
  if (typeof error === 'object' && error && 'message' in error) return String((error as { message: unknown }).message);
  return String(error);
}

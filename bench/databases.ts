// The bench's databases: the seed saved under bench/.cache/ (SQLite, made once through the services) and its
// PostgreSQL copy, made per run by copying the rows (seconds) rather than seeding again (minutes).
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import pg from 'pg';
import { migrateDatabase } from '../src/db/migrate.ts';

export type BenchDialect = 'sqlite' | 'postgresql';
export const benchDialects: BenchDialect[] = ['sqlite', 'postgresql'];
export const dialectNames: Record<BenchDialect, string> = { sqlite: 'SQLite', postgresql: 'PostgreSQL' };

const benchDir = new URL('.', import.meta.url).pathname;
export const cacheDir = join(benchDir, '.cache');

/** A seed is reused while the migrations and the seeder are unchanged. */
export function seedCacheFile(articles: number): string {
  const hash = createHash('sha256');
  const migrations = join(benchDir, '../prisma/migrations/sqlite');
  for (const name of readdirSync(migrations, { recursive: true }).map(String).sort()) hash.update(name);
  hash.update(readFileSync(join(benchDir, 'seed.ts')));
  return join(cacheDir, `seed-${articles}-${hash.digest('hex').slice(0, 12)}.db`);
}

/** `postgresql://…/postgres` with another database name. */
function withDatabase(serverUrl: string, name: string): string {
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return url.toString();
}

async function onServer<T>(serverUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: serverUrl });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export interface PostgresDatabase {
  url: string;
  drop: () => Promise<void>;
}

/** A database of the bench's own (cms_bench_<pid>_…), empty or a file-level copy of a template; dropped by the caller. */
export async function createPostgresDatabase(serverUrl: string, suffix: string, template?: string): Promise<PostgresDatabase> {
  const name = `cms_bench_${process.pid}_${suffix}`;
  await onServer(serverUrl, async (client) => {
    await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
    await client.query(`CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ''}`);
  });
  return {
    url: withDatabase(serverUrl, name),
    drop: () => onServer(serverUrl, (client) => client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`).then(() => undefined)),
  };
}

const batchRows = 20_000;

export const databaseNameOf = (url: string) => new URL(url).pathname.slice(1);

interface ColumnInfo {
  name: string;
  type: string;
  /** The type's own name (int4, bytea, an enum's name), for the array the column's values go in. */
  udt: string;
}

/** SQLite keeps Prisma's DateTime as ISO text (or CURRENT_TIMESTAMP's 'YYYY-MM-DD HH:MM:SS', or epoch ms); PostgreSQL wants UTC. */
function timestampOf(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const date =
    typeof value === 'number'
      ? new Date(value)
      : new Date(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d(\.\d+)?$/.test(String(value)) ? `${String(value).replace(' ', 'T')}Z` : String(value));
  return date.toISOString().replace('Z', '');
}

function converterFor(column: ColumnInfo): (value: unknown) => unknown {
  if (column.type.startsWith('timestamp')) return timestampOf;
  if (column.type === 'boolean') return (v) => (v === null ? null : Boolean(v));
  return (v) => v;
}

/**
 * Migrates `url` with the project's migrations, then copies every row of the seeded SQLite file into it, table
 * by table in one transaction, in batches of INSERT … SELECT FROM unnest(arrays). The foreign keys are not checked (replica mode):
 * the rows come from a database that kept them. Returns the rows copied.
 */
export async function copySqliteIntoPostgres(sqliteFile: string, url: string): Promise<number> {
  await migrateDatabase(url);
  const source = new Database(sqliteFile, { readonly: true });
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  let copied = 0;
  try {
    const { rows } = await client.query<{ table_name: string; column_name: string; data_type: string; udt_name: string }>(
      `SELECT table_name, column_name, data_type, udt_name FROM information_schema.columns
       WHERE table_schema = 'public' AND table_name <> '_prisma_migrations' ORDER BY table_name, ordinal_position`,
    );
    const tables = new Map<string, ColumnInfo[]>();
    for (const row of rows) {
      const columns = tables.get(row.table_name) ?? [];
      columns.push({ name: row.column_name, type: row.data_type, udt: row.udt_name });
      tables.set(row.table_name, columns);
    }
    await client.query('BEGIN');
    // Rows go in whatever order the tables come; the foreign-key triggers are off for this transaction only.
    await client.query("SET LOCAL session_replication_role = 'replica'");
    for (const [table, columns] of tables) {
      const convert = columns.map(converterFor);
      const names = columns.map((c) => `"${c.name}"`).join(', ');
      // One array per column and unnest(): a few statements of many rows, with a handful of parameters each.
      const insert = `INSERT INTO "${table}" (${names}) SELECT * FROM unnest(${columns.map((c, i) => `$${i + 1}::"${c.udt}"[]`).join(', ')})`;
      const select = source.prepare(`SELECT ${names} FROM "${table}"`).raw(true);
      let values: unknown[][] = columns.map(() => []);
      let rowCount = 0;
      const flush = async () => {
        if (rowCount === 0) return;
        await client.query(insert, values);
        copied += rowCount;
        values = columns.map(() => []);
        rowCount = 0;
      };
      for (const row of select.iterate() as Iterable<unknown[]>) {
        for (let c = 0; c < columns.length; c++) values[c]!.push(convert[c]!(row[c]));
        if (++rowCount === batchRows) await flush();
      }
      await flush();
    }
    // Serial columns start after the copied ids.
    const { rows: sequences } = await client.query<{ table_name: string; column_name: string; sequence: string }>(
      `SELECT table_name, column_name, pg_get_serial_sequence(format('%I', table_name), column_name) AS sequence
       FROM information_schema.columns WHERE table_schema = 'public' AND column_default LIKE 'nextval(%'`,
    );
    for (const s of sequences)
      await client.query(`SELECT setval($1, COALESCE((SELECT MAX("${s.column_name}") FROM "${s.table_name}"), 0) + 1, false)`, [
        s.sequence,
      ]);
    await client.query('COMMIT');
    await client.query('ANALYZE');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    await client.end();
    source.close();
  }
  return copied;
}

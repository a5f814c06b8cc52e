// `npm run db:diff -- NAME`: writes a migration for each dialect from the difference between the
// migrations folder and prisma/schema.prisma. Prisma's wasm schema engine cannot open a shadow
// database, so the migrations are applied to a scratch database (a temporary SQLite file; a
// temporary PostgreSQL database on TEST_POSTGRES_URL) and the engine diffs that against the schema.
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { migrateDatabase, migrationsDirFor, readMigrationList } from '../src/db/migrate.ts';
import { projectRoot, schemaForDialect } from '../src/db/schema-source.ts';
import { openSchemaEngine } from '../src/db/schema-engine.ts';
import { createScratchPostgres } from '../src/db/scratch-postgres.ts';

function committedSchemaFor(dialect: 'postgresql'): string {
  const committed = execFileSync('git', ['show', 'HEAD:prisma/schema.prisma'], { cwd: projectRoot, encoding: 'utf8' });
  return committed.replace(/provider = "sqlite"/, `provider = "${dialect}"`);
}

const name = (process.argv[2] ?? 'change').replace(/[^a-z0-9_]/gi, '_').toLowerCase();
const stamp = new Date().toISOString().replace(/\D/g, '').slice(0, 14);
const postgresUrl = process.env.TEST_POSTGRES_URL ?? 'postgresql://root@127.0.0.1:5432/postgres';

for (const dialect of ['sqlite', 'postgresql'] as const) {
  const scratch =
    dialect === 'sqlite'
      ? {
          url: `file:${join(mkdtempSync(join(tmpdir(), 'cms-diff-')), 'scratch.db')}`,
          drop: async () => {
            // The scratch file sits in its own temporary folder.
          },
        }
      : await createScratchPostgres(postgresUrl, 'cms_diff');
  const schema = schemaForDialect(dialect);
  const dir = migrationsDirFor(dialect);
  const lock = join(dir, 'migration_lock.toml');
  if (!existsSync(lock)) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(lock, `# Written by scripts/create-migration.ts; do not edit.\nprovider = "${dialect}"\n`);
  }
  const existing = readMigrationList(dir);
  if (existing.migrationDirectories.length && dialect === 'sqlite') await migrateDatabase(scratch.url, dir);
  const { engine, close } = await openSchemaEngine(scratch.url, 'schema.prisma', schema);
  try {
    const { stdout } = await engine.diff({
      from: !existing.migrationDirectories.length
        ? { tag: 'empty' }
        : dialect === 'sqlite'
          ? // The scratch database holds the migrations applied so far; the engine describes it.
            { tag: 'schemaDatasource', files: [{ path: 'schema.prisma', content: schema }], configDir: projectRoot }
          : // The engine cannot describe PostgreSQL through the pg adapter (it trips on the catalog's
            // "char" type), so the starting point is the schema as last committed, which the
            // migrations already express.
            { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: committedSchemaFor(dialect) }] },
      to: { tag: 'schemaDatamodel', files: [{ path: 'schema.prisma', content: schema }] },
      script: true,
      exitCode: null,
      filters: { externalTables: [], externalEnums: [] },
    });
    const sql = stdout ?? '';
    if (!sql.trim() || /This is an empty migration/.test(sql)) {
      console.log(`${dialect}: no changes`);
      continue;
    }
    mkdirSync(join(dir, `${stamp}_${name}`), { recursive: true });
    writeFileSync(join(dir, `${stamp}_${name}`, 'migration.sql'), sql);
    console.log(`${dialect}: wrote ${stamp}_${name}`);
  } finally {
    await close();
    await scratch.drop();
  }
}

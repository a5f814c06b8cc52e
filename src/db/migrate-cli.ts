// `npm run db:migrate`: applies pending migrations to DATABASE_URL (default: the embedded SQLite file).
import { loadConfig } from '../config.ts';
import { migrateDatabase } from './migrate.ts';

const config = loadConfig(process.env);
try {
  const applied = await migrateDatabase(config.databaseUrl);
  console.log(applied.length ? `Applied migrations: ${applied.join(', ')}` : 'The database is up to date.');
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}

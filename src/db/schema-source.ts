import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Dialect } from './dialect.ts';

export const projectRoot = fileURLToPath(new URL('../../', import.meta.url));
export const schemaPath = fileURLToPath(new URL('../../prisma/schema.prisma', import.meta.url));
export const migrationsRoot = fileURLToPath(new URL('../../prisma/migrations/', import.meta.url));

/** prisma/schema.prisma is written for SQLite; the PostgreSQL variant differs only in its provider. */
export function schemaForDialect(dialect: Dialect, generatorOutput?: string): string {
  let schema = readFileSync(schemaPath, 'utf8').replace(/provider = "sqlite"/, `provider = "${dialect}"`);
  if (generatorOutput) schema = schema.replace(/output\s*=\s*"[^"]*"/, `output   = "${generatorOutput}"`);
  return schema;
}

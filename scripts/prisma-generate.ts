// Generates one Prisma client per dialect from the single prisma/schema.prisma (run by postinstall).
// The Prisma CLI wants a native schema engine even for `generate`, where it never runs it; pointing
// PRISMA_SCHEMA_ENGINE_BINARY at any existing file keeps it from trying to download one.
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { projectRoot, schemaForDialect } from '../src/db/schema-source.ts';

const workDir = join(projectRoot, 'node_modules/.cache/newsroom-cms');
mkdirSync(workDir, { recursive: true });

for (const dialect of ['sqlite', 'postgresql'] as const) {
  const dialectSchemaPath = join(workDir, `schema.${dialect}.prisma`);
  writeFileSync(dialectSchemaPath, schemaForDialect(dialect, join(projectRoot, 'src/generated', dialect)));
  execFileSync(process.execPath, [join(projectRoot, 'node_modules/prisma/build/index.js'), 'generate', '--schema', dialectSchemaPath], {
    stdio: ['ignore', 'inherit', 'inherit'],
    env: {
      ...process.env,
      PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
      PRISMA_HIDE_UPDATE_MESSAGE: '1',
    },
  });
}

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import {
  bindMigrationAwareSqlAdapterFactory,
  type SqlDriverAdapter,
  type SqlMigrationAwareDriverAdapterFactory,
} from '@prisma/driver-adapter-utils';
import type { SchemaEngine } from '@prisma/schema-engine-wasm';
import { createAdapterFactory } from './dialect.ts';

type SchemaEngineClass = typeof SchemaEngine;
// The ES2023 lib has no WebAssembly types; this is the one call we make.
const wasmRuntime = (
  globalThis as unknown as {
    WebAssembly: { instantiate(bytes: Uint8Array, imports: Record<string, unknown>): Promise<{ instance: { exports: unknown } }> };
  }
).WebAssembly;
let engineClass: Promise<SchemaEngineClass> | undefined;

/**
 * Prisma's schema engine as wasm. The package imports its .wasm as an ES module, which Node 20
 * only does behind a flag, so we instantiate the bytes ourselves with the package's own glue.
 */
function loadSchemaEngine(): Promise<SchemaEngineClass> {
  engineClass ??= (async () => {
    const require = createRequire(import.meta.url);
    const gluePath = require.resolve('@prisma/schema-engine-wasm/schema_engine_bg');
    const glue = await import('@prisma/schema-engine-wasm/schema_engine_bg');
    const bytes = readFileSync(gluePath.replace(/\.js$/, '.wasm'));
    const { instance } = await wasmRuntime.instantiate(bytes, { './schema_engine_bg.js': glue });
    const exports = instance.exports as { __wbindgen_start: () => void };
    (glue as unknown as { __wbg_set_wasm: (wasm: unknown) => void }).__wbg_set_wasm(exports);
    exports.__wbindgen_start();
    return glue.SchemaEngine;
  })();
  return engineClass;
}

export interface OpenSchemaEngine {
  engine: SchemaEngine;
  /** Frees the engine and closes the connections it opened (it does not close them itself). */
  close(): Promise<void>;
}

/** Opens the schema engine on a database through the same driver adapter the client uses. */
export async function openSchemaEngine(databaseUrl: string, schemaPath: string, schemaText: string): Promise<OpenSchemaEngine> {
  const Engine = await loadSchemaEngine();
  const factory = createAdapterFactory(databaseUrl);
  const opened: SqlDriverAdapter[] = [];
  const trackingFactory: SqlMigrationAwareDriverAdapterFactory = {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => {
      const adapter = await factory.connect();
      opened.push(adapter);
      return adapter;
    },
    connectToShadowDb: async () => {
      const adapter = await factory.connectToShadowDb();
      opened.push(adapter);
      return adapter;
    },
  };
  const engine = await Engine.new(
    { datamodels: [[schemaPath, schemaText]] },
    () => {
      // The engine's debug log: nothing here reads it.
    },
    bindMigrationAwareSqlAdapterFactory(trackingFactory),
  );
  return {
    engine,
    close: async () => {
      engine.free();
      await Promise.all(opened.map((adapter) => adapter.dispose()));
    },
  };
}

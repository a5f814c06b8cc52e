import { stringify } from 'yaml';
import { loadConfig } from './config.ts';
import { createContainer } from './container.ts';
import { createLogger } from './http/logger.ts';

/**
 * The OpenAPI document as committed in openapi.yaml. The app is built on an in-memory database
 * that is never queried: the document comes from the route declarations alone.
 */
export function generateOpenApiYaml(): string {
  const container = createContainer(loadConfig({ NODE_ENV: 'test', DATABASE_URL: 'file::memory:' }), { logger: createLogger('silent') });
  const header = '# Generated from the zod schemas by `npm run openapi`; test/openapi/openapi-file.test.ts fails when it drifts.\n';
  return header + stringify(container.app.openApiDocument(), { lineWidth: 0, aliasDuplicateObjects: false });
}

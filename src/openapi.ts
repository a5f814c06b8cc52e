import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { DatabaseUnavailableError, WriteConflictError } from './errors.ts';
import { writeConflictResponse } from './http/route.ts';

export function createOpenApiRegistry(): OpenAPIRegistry {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearerAuth', {
    type: 'http',
    scheme: 'bearer',
    bearerFormat: 'JWT or API key',
    description: 'An access token from POST /v1/auth/login, or an API key (they start with `nk_`).',
  });
  registry.registerComponent('securitySchemes', 'apiKeyHeader', {
    type: 'apiKey',
    in: 'header',
    name: 'X-API-Key',
    description: 'An API key.',
  });
  registry.registerComponent('responses', writeConflictResponse, {
    description:
      'The write met a concurrent one in the database (a deadlock) and was rolled back whole (code `write_conflict`); nothing changed. ' +
      'Retry after Retry-After.',
    headers: {
      'Retry-After': {
        description: 'Seconds to wait before retrying.',
        required: true,
        schema: { type: 'string', example: String(WriteConflictError.retryAfterSeconds) },
      },
    },
    content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
  });
  return registry;
}

export function buildOpenApiDocument(registry: OpenAPIRegistry) {
  return new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Newsroom CMS API',
      version: '1.0.0',
      description: [
        'A headless CMS for newsrooms. The public read API (`/v1/...`) serves published content to front ends without credentials;',
        'the management API (`/v1/admin/...`) lets newsroom tools and editors write content with a JWT access token or an API key.',
        '',
        'Errors are RFC 9457 `application/problem+json`. Validation: malformed JSON and invalid path or query parameters answer 400;',
        'a well-formed body with invalid or unknown fields answers 422 with each bad field in `errors`.',
        'Lists are cursor-paged: pass `nextCursor` back as `cursor` until it is null. Timestamps are UTC ISO 8601.',
        '',
        'While the database does not answer, an operation that reads or writes it answers 503 with code `database_unavailable`',
        `and Retry-After (${DatabaseUnavailableError.retryAfterSeconds} seconds); a write may or may not have been applied then:`,
        'retry it with the same Idempotency-Key. `GET /ready` answers 503 meanwhile, for load balancers to stop sending requests.',
        '',
        'The server shows this document as an interactive reference at `/docs` and serves it as JSON at `/openapi.json`.',
      ].join('\n'),
    },
    // Relative, so it resolves against wherever the document is read from: /docs "Try it out" calls the server that serves it.
    servers: [{ url: '/', description: 'The server this document is served from' }],
  });
}

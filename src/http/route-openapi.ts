import type { OpenAPIRegistry, ResponseConfig } from '@asteasolutions/zod-to-openapi';
import type { ZodType } from 'zod';
import { ProblemSchema } from '../shared/common.schemas.ts';
import { z } from '../shared/zod.ts';
import { isCachedPublicRoute, isIdempotentRoute, type Access, type AnyRoute } from './route-definition.ts';

const problemContent = { 'application/problem+json': { schema: ProblemSchema } };
const problem = (description: string): ResponseConfig => ({ description, content: problemContent });

/** The 503 of every write (a WriteConflictError), described once in components.responses. */
export const writeConflictResponse = 'WriteConflict';

/** Documents a route in the OpenAPI registry: what its declaration says it takes, answers and admits. */
export function registerInOpenApi(registry: OpenAPIRegistry, route: AnyRoute): void {
  const access = route.access;
  const requestHeaders = requestHeadersOf(route);
  registry.registerPath({
    method: route.method,
    path: route.path,
    operationId: route.operationId,
    summary: route.summary,
    description: [route.description, accessNote(access)].filter(Boolean).join('\n\n'),
    tags: [route.tag],
    // Machine-readable access rule: the role × route matrix test is driven by it.
    'x-access':
      'public' in access ? 'public' : 'anyAuthenticated' in access ? 'authenticated' : { roles: [...access.roles], scope: access.scope },
    ...('public' in access ? { security: [] } : { security: [{ bearerAuth: [] }, { apiKeyHeader: [] }] }),
    request: {
      ...(route.params ? { params: route.params } : {}),
      ...(route.query ? { query: route.query } : {}),
      ...(route.body ? { body: { required: !route.isBodyOptional, content: { 'application/json': { schema: route.body } } } } : {}),
      ...(route.streamedBody ? { body: { required: true, ...route.streamedBody } } : {}),
      ...(Object.keys(requestHeaders).length ? { headers: z.object(requestHeaders) } : {}),
    },
    responses: responsesOf(registry, route),
  });
}

function accessNote(access: Access): string {
  if ('public' in access) return 'Public: no credentials.';
  if ('anyAuthenticated' in access) return 'Any signed-in user or API key.';
  return `Roles: ${access.roles.join(', ')}. API-key scope: \`${access.scope}\`.`;
}

/** The success answer, the problems the declaration implies, then those the route names and the ones every route may answer. */
function responsesOf(registry: OpenAPIRegistry, route: AnyRoute): Record<string, ResponseConfig> {
  const responses: Record<string, ResponseConfig> = {};
  const status = route.status ?? 200;
  responses[status] = {
    description: route.responseDescription ?? (route.response ? 'Success.' : 'Done; no content.'),
    ...(route.response ? { content: { [route.mediaType ?? 'application/json']: { schema: route.response } } } : {}),
  };
  if (route.params || route.query) responses[400] = problem('Malformed JSON or invalid path or query parameters.');
  if (route.body) {
    responses[400] = problem('Malformed JSON or invalid path or query parameters.');
    responses[413] = problem('The body is larger than the limit.');
    responses[415] = problem('The body is not JSON.');
    responses[422] = problem('The body is well-formed but not valid.');
  }
  if (!('public' in route.access)) {
    responses[401] = problem('Missing, invalid or expired credentials.');
    responses[403] = problem('The caller may not do this.');
  }
  if (route.params) responses[404] = problem('Not found, or not visible to the caller.');
  if (route.ifMatch) {
    responses[412] = problem('If-Match is not the current ETag; `current` holds the current version.');
    responses[428] = problem('If-Match is missing.');
  }
  const idempotent = isIdempotentRoute(route);
  if (idempotent) {
    responses[400] = problem('Malformed JSON, invalid parameters, or an Idempotency-Key longer than 255 characters.');
    responses[409] = problem('A request with this Idempotency-Key is still being processed after 10 s (code `idempotency_key_in_use`).');
    responses[422] = problem(
      'The body is well-formed but not valid, or the Idempotency-Key was used for a different request (code `idempotency_key_reused`).',
    );
  }
  if (!('public' in route.access) && responses[status]) {
    responses[status] = {
      ...responses[status],
      headers: z.object({
        ...(route.response
          ? { ETag: z.string().optional().openapi({ description: 'The version of the resource, for If-Match.', example: '"3"' }) }
          : {}),
        ...(idempotent
          ? {
              'Idempotent-Replayed': z
                .literal('true')
                .optional()
                .openapi({ description: 'Present on a response replayed for a retried Idempotency-Key.' }),
            }
          : {}),
      }),
    };
  }
  if (isCachedPublicRoute(route) && responses[status]) {
    responses[status] = { ...responses[status], headers: cachedAnswerHeaders(registry) };
    responses[304] = {
      description: 'Not modified: If-None-Match holds the current ETag. No body.',
      headers: cachedAnswerHeaders(registry),
    };
  }
  for (const [code, description] of Object.entries(route.errors ?? {})) {
    const replaces = responses[code]?.description;
    responses[code] = problem(
      idempotent && replaces && Number(code) === 409 ? `${description} Or: ${replaces}` : (description ?? 'Error.'),
    );
  }
  // A reference object, which the registry takes in place of a response.
  if (route.method !== 'get') responses[503] = { $ref: `#/components/responses/${writeConflictResponse}` } as ResponseConfig;
  Object.assign(responses, route.extraResponses ?? {});
  responses[500] = problem('An unexpected error; the body holds the request id to quote.');
  return responses;
}

/** The request headers the declaration implies (If-Match, Idempotency-Key, If-None-Match), then those the route reads itself. */
function requestHeadersOf(route: AnyRoute): Record<string, ZodType> {
  return {
    ...(route.ifMatch
      ? {
          'If-Match': z
            .string()
            .openapi({ description: 'The ETag of the version being changed (from a GET), or * for any.', example: '"3"' }),
        }
      : {}),
    ...(isIdempotentRoute(route)
      ? {
          'Idempotency-Key': z
            .string()
            .min(1)
            .max(255)
            .optional()
            .openapi({
              description:
                'A unique key per intended operation (a UUID). A retry with the same key and body gets the first response again, ' +
                'with `Idempotent-Replayed: true`, instead of running twice; keys are per caller and kept 24 hours.',
              example: '"8e03978e-40d5-43e8-bc93-6894a57f9324"',
            }),
        }
      : {}),
    ...(isCachedPublicRoute(route)
      ? {
          'If-None-Match': z.string().optional().openapi({
            description: 'The ETag of the answer the caller holds: 304 without a body while it is current.',
            example: '"k3J0c2VjcmV0LWhhc2gtb2YtdGhlLWJvZHk"',
          }),
        }
      : {}),
    ...route.requestHeaders,
  };
}

// Documented once as header components; every cached answer refers to them.
const cachedAnswerHeaderDocs: Record<string, { description: string; required: boolean; schema: { type: 'string'; example: string } }> = {
  ETag: {
    description: 'A strong validator: a hash of the body. Send it back as If-None-Match.',
    required: true,
    schema: { type: 'string', example: '"k3J0c2VjcmV0LWhhc2gtb2YtdGhlLWJvZHk"' },
  },
  'Last-Modified': {
    description:
      'The newest `updatedAt` or `publishedAt` of the records in the answer; when it has none, when the answer was made. ' +
      'Conditional requests go by ETag.',
    required: true,
    schema: { type: 'string', example: 'Mon, 23 Nov 2026 09:30:00 GMT' },
  },
  'Cache-Control': {
    description:
      '`public` with max-age, s-maxage and stale-while-revalidate (configurable per route), shortened so that no cache keeps ' +
      'the answer past the next scheduled publication, embargo end or feed window.',
    required: true,
    schema: { type: 'string', example: 'public, max-age=30, s-maxage=60, stale-while-revalidate=300' },
  },
  'Surrogate-Key': {
    description:
      'Space-separated keys of the records in the answer (`article:<id>`, `rubric:<id>`, `tag:<id>`, `user:<id>`, `media:<id>`, ' +
      '`feed-item:<id>`) and of the lists it shows (`articles`, `feed`, `rubrics`, `tags`, `users`, `media`; `all` on answers ' +
      "whose route names none, purged by every write). A management write purges its record's key and the lists it changes, " +
      'so a CDN purge by key removes exactly the answers an edit touches.',
    required: true,
    schema: {
      type: 'string',
      example: 'articles article:0197a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a80 rubric:0197a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b',
    },
  },
  'Cache-Tag': {
    description: 'The Surrogate-Key keys, comma-separated (the form Cloudflare reads).',
    required: true,
    schema: { type: 'string', example: 'articles,article:0197a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a80' },
  },
  Age: {
    description: "Seconds since the answer was made, when it comes from the server's own cache.",
    required: false,
    schema: { type: 'string', example: '3' },
  },
};

function cachedAnswerHeaders(registry: OpenAPIRegistry) {
  return Object.fromEntries(
    Object.entries(cachedAnswerHeaderDocs).map(([name, header]) => {
      registry.registerComponent('headers', name, header);
      return [name, { $ref: `#/components/headers/${name}` }];
    }),
  );
}

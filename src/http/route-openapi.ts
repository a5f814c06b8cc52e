import type { OpenAPIRegistry, ResponseConfig } from '@asteasolutions/zod-to-openapi';
import type { ZodType } from 'zod';
import { ProblemSchema } from '../shared/common.schemas.ts';
import { z } from '../shared/zod.ts';
import { isCachedPublicRoute, isIdempotentRoute, rateLimitsOf, type Access, type AnyRoute } from './route-definition.ts';

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
    description: [route.description, accessNote(access), failureLimitNote(route)].filter(Boolean).join('\n\n'),
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
    description: [
      route.responseDescription ?? (route.response ? 'Success.' : 'Done; no content.'),
      ...Object.entries(route.representations ?? {}).map(
        ([mediaType, r]) => `With \`Accept: ${mediaType}\`: ${r.description ?? 'that representation.'}`,
      ),
    ].join(' '),
    ...(route.response
      ? { content: { [route.mediaType ?? 'application/json']: { schema: route.response }, ...representationsOf(route) } }
      : {}),
  };
  // Any route refuses a query parameter it does not declare, and a JSON body that does not parse or nests too deep.
  responses[400] = problem('Malformed or too deeply nested JSON, or invalid or unknown path or query parameters.');
  if (route.body) {
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
    responses[400] = problem(
      'Malformed or too deeply nested JSON, invalid or unknown parameters, or an Idempotency-Key longer than 255 characters.',
    );
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
    const headers = { ...cachedAnswerHeaders(registry), ...(route.representations ? { Vary: varyAcceptHeader } : {}) };
    responses[status] = { ...responses[status], headers };
    responses[304] = { description: 'Not modified: If-None-Match holds the current ETag. No body.', headers };
  }
  for (const [code, description] of Object.entries(route.errors ?? {})) {
    const replaces = responses[code]?.description;
    responses[code] = problem(
      idempotent && replaces && Number(code) === 409 ? `${description} Or: ${replaces}` : (description ?? 'Error.'),
    );
  }
  const limits = rateLimitsOf(route);
  if (limits.calls || limits.failures) {
    for (const code of [String(status), '304']) if (responses[code]) responses[code] = withRateLimitHeaders(registry, responses[code]);
    responses[429] = rateLimitedResponse(registry);
  }
  // A reference object, which the registry takes in place of a response.
  // A write's 503 is a write conflict, described once; a route that can answer 503 for a reason of its own says both.
  const own503 = route.errors?.[503];
  if (route.method !== 'get')
    responses[503] = own503
      ? {
          ...problem(`${own503} Or (code \`write_conflict\`): the write met a concurrent one and was rolled back; nothing changed.`),
          headers: { 'Retry-After': { description: 'Seconds to wait before retrying.', required: true, schema: { type: 'string' } } },
        }
      : ({ $ref: `#/components/responses/${writeConflictResponse}` } as ResponseConfig);
  Object.assign(responses, route.extraResponses ?? {});
  responses[500] = problem('An unexpected error; the body holds the request id to quote.');
  return responses;
}

/** The route's other representations of its success answer, each under its media type. */
function representationsOf(route: AnyRoute): Record<string, { schema: ZodType }> {
  return Object.fromEntries(
    Object.entries(route.representations ?? {}).map(([mediaType, { response }]) => [mediaType, { schema: response }]),
  );
}

const varyAcceptHeader = {
  description: 'Accept: the answer is JSON, or another representation the request asks for by its Accept header.',
  required: true,
  schema: { type: 'string' as const, example: 'Accept' },
};

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
      '`feed-item:<id>`) and of the lists it shows (`articles`, `articles:rubric:<slug>`, `articles:tag:<slug>`, ' +
      '`articles:author:<slug>`, `articles:rubric`, `feed`, `rubrics`, `tags`, `users`, `media`; `all` on answers whose route ' +
      "names none, purged by every write that changes something public). A management write purges its record's key and the " +
      'lists it changes (the README gives the rule per write), so a CDN purge by key removes exactly the answers an edit touches.',
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

function failureLimitNote(route: AnyRoute): string | undefined {
  if (route.rateLimit?.failures === 'sign-in') {
    return (
      'Failed sign-ins are counted per e-mail and client address and per address: beyond either limit the answer is 429, ' +
      'before the password is checked. A successful sign-in clears the count of its e-mail.'
    );
  }
  if (route.rateLimit?.failures === 'token') return 'Failed uses are counted per client address: beyond the limit the answer is 429.';
  return undefined;
}

// draft-ietf-httpapi-ratelimit-headers-10, documented once as header components.
const rateLimitHeaderDocs = {
  RateLimit: {
    description:
      'What is left of each limit this call counted under, by policy name: `r` calls (or failures) left, `t` seconds until ' +
      'the window ends (draft-ietf-httpapi-ratelimit-headers).',
    required: false,
    schema: { type: 'string', example: '"login";r=3;t=42, "login-address";r=97;t=840' },
  },
  'RateLimit-Policy': {
    description:
      'The limits this call counted under: `q` calls (or failures) in a window of `w` seconds. Policies: `login` (failed ' +
      'sign-ins per e-mail and address), `login-address`, `token-address` (failed token uses per address), `management` ' +
      '(per API key or user), `public` (per address, when on).',
    required: false,
    schema: { type: 'string', example: '"login";q=5;w=60, "login-address";q=100;w=900' },
  },
} as const;

function rateLimitHeaderRefs(registry: OpenAPIRegistry) {
  return Object.fromEntries(
    Object.entries(rateLimitHeaderDocs).map(([name, header]) => {
      registry.registerComponent('headers', name, header);
      return [name, { $ref: `#/components/headers/${name}` }];
    }),
  );
}

// The success answer keeps its headers (a zod object, or header references) and gains the rate-limit ones.
function withRateLimitHeaders(registry: OpenAPIRegistry, response: ResponseConfig): ResponseConfig {
  const headers = response.headers;
  if (headers instanceof z.ZodObject) {
    const described = Object.fromEntries(
      Object.entries(rateLimitHeaderDocs).map(([name, doc]) => [
        name,
        z.string().optional().openapi({ description: doc.description, example: doc.schema.example }),
      ]),
    );
    return { ...response, headers: headers.extend(described) };
  }
  return { ...response, headers: { ...(headers ?? {}), ...rateLimitHeaderRefs(registry) } };
}

/** The 429 of every limited route, described once in components.responses. */
function rateLimitedResponse(registry: OpenAPIRegistry): ResponseConfig {
  registry.registerComponent('responses', 'RateLimited', {
    description:
      'Over a rate limit (code `rate_limited`): management calls per API key or user, public reads per client address (when ' +
      'that limit is on), failed sign-ins per e-mail and address and per address, failed token uses per address. Nothing ' +
      'was done; retry after Retry-After.',
    headers: {
      'Retry-After': {
        description: 'Seconds until the limit that refused the call lets it through again.',
        required: true,
        schema: { type: 'string', example: '42' },
      },
      ...rateLimitHeaderRefs(registry),
    },
    content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
  });
  // A reference object, which the registry takes in place of a response.
  return { $ref: '#/components/responses/RateLimited' } as ResponseConfig;
}

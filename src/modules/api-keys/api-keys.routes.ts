import { IdParams } from '../../shared/common.schemas.ts';
import { defineRoute, type AnyRoute } from '../../http/route.ts';
import { adminsOnly } from '../../http/access.ts';
import { ApiKeyPage, ApiKeySchema, CreateApiKeyBody, CreatedApiKeySchema, ListApiKeysQuery, UpdateApiKeyBody } from './api-keys.schemas.ts';
import type { ApiKeysService } from './api-keys.service.ts';

const tag = 'API keys';

export function apiKeyAdminRoutes(service: ApiKeysService): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/v1/admin/api-keys',
      operationId: 'listApiKeys',
      summary: 'List API keys (never their secrets)',
      tag,
      access: adminsOnly,
      query: ListApiKeysQuery,
      response: ApiKeyPage,
      handler: ({ query }) => service.list(query.limit, query.cursor),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/admin/api-keys/{id}',
      operationId: 'getApiKey',
      summary: 'Get an API key',
      tag,
      access: adminsOnly,
      params: IdParams,
      response: ApiKeySchema,
      handler: ({ params }) => service.get(params.id),
    }),
    defineRoute({
      method: 'post',
      path: '/v1/admin/api-keys',
      operationId: 'createApiKey',
      summary: 'Create an API key; its secret is returned only now',
      tag,
      access: adminsOnly,
      description: 'With an Idempotency-Key, a replay answers the created key without its secret (it is never stored).',
      body: CreateApiKeyBody,
      status: 201,
      response: CreatedApiKeySchema,
      audit: { action: 'api_key.create', targetType: 'api_key' },
      secretResponseFields: ['key'],
      handler: ({ body, actor }) => service.create(body, actor),
    }),
    defineRoute({
      method: 'patch',
      path: '/v1/admin/api-keys/{id}',
      operationId: 'updateApiKey',
      summary: 'Rename an API key or change its scopes',
      tag,
      access: adminsOnly,
      params: IdParams,
      body: UpdateApiKeyBody,
      response: ApiKeySchema,
      ifMatch: true,
      audit: { action: 'api_key.update', targetType: 'api_key' },
      handler: ({ params, body, expectedVersion }) => service.update(params.id, body, expectedVersion),
    }),
    defineRoute({
      method: 'delete',
      path: '/v1/admin/api-keys/{id}',
      operationId: 'revokeApiKey',
      summary: 'Revoke an API key',
      tag,
      access: adminsOnly,
      description: 'The key stops working at once; its record stays, with `revokedAt` set.',
      params: IdParams,
      status: 204,
      ifMatch: true,
      audit: { action: 'api_key.revoke', targetType: 'api_key' },
      handler: ({ params, expectedVersion }) => service.revoke(params.id, expectedVersion),
    }),
  ];
}

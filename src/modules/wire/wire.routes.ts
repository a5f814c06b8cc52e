import { adminsOnly } from '../../http/access.ts';
import { defineRoute, type AnyRoute } from '../../http/route.ts';
import { IdParams } from '../../shared/common.schemas.ts';
import type { WireService } from './wire.service.ts';
import { CreateWireSourceBody, ListWireSourcesQuery, UpdateWireSourceBody, WireSourcePage, WireSourceSchema } from './wire.schemas.ts';

const tag = 'Wire';

export function wireAdminRoutes(service: WireService): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/v1/admin/wire-sources',
      operationId: 'listWireSources',
      summary: 'List agency feeds polled into the incoming desk (never their credentials)',
      tag,
      access: adminsOnly,
      query: ListWireSourcesQuery,
      response: WireSourcePage,
      handler: ({ query }) => service.list(query.limit, query.cursor),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/admin/wire-sources/{id}',
      operationId: 'getWireSource',
      summary: 'Get a wire source and how its last poll went',
      tag,
      access: adminsOnly,
      params: IdParams,
      response: WireSourceSchema,
      handler: ({ params }) => service.get(params.id),
    }),
    defineRoute({
      method: 'post',
      path: '/v1/admin/wire-sources',
      operationId: 'createWireSource',
      summary: 'Add an agency feed (ninjs, RSS or Atom); it is polled at once',
      tag,
      access: adminsOnly,
      description:
        'Each active source is polled every `pollSeconds` by one instance at a time, with the last answer\'s ETag and Last-Modified (a 304 is no work). New and updated items become drafts with `origin: "wire"` in the incoming desk (`GET /v1/admin/articles?origin=wire&status=draft`); an item an editor has changed since becomes a revision instead. A failing source waits twice as long after each failure, up to six hours. A URL whose host is or resolves to a private, loopback or link-local address is refused (WIRE_ALLOW_PRIVATE).',
      body: CreateWireSourceBody,
      status: 201,
      response: WireSourceSchema,
      audit: { action: 'wire_source.create', targetType: 'wire_source' },
      handler: ({ body }) => service.create(body),
    }),
    defineRoute({
      method: 'patch',
      path: '/v1/admin/wire-sources/{id}',
      operationId: 'updateWireSource',
      summary: 'Change a wire source, or turn it on or off',
      tag,
      access: adminsOnly,
      description: 'A new URL, format or credentials, or a source turned back on, is polled at once and its failures forgotten.',
      params: IdParams,
      body: UpdateWireSourceBody,
      response: WireSourceSchema,
      ifMatch: true,
      audit: { action: 'wire_source.update', targetType: 'wire_source' },
      handler: ({ params, body, expectedVersion }) => service.update(params.id, body, expectedVersion),
    }),
    defineRoute({
      method: 'delete',
      path: '/v1/admin/wire-sources/{id}',
      operationId: 'deleteWireSource',
      summary: 'Delete a wire source (the articles it brought stay)',
      tag,
      access: adminsOnly,
      params: IdParams,
      status: 204,
      ifMatch: true,
      audit: { action: 'wire_source.delete', targetType: 'wire_source' },
      handler: ({ params, expectedVersion }) => service.delete(params.id, expectedVersion),
    }),
  ];
}

import { IdParams } from '../../http/common.schemas.ts';
import { defineRoute, type AnyRoute } from '../../http/route.ts';
import { AdminMediaPage, AdminMediaSchema, CreateMediaBody, ListMediaQuery, MediaSchema, UpdateMediaBody } from './media.schemas.ts';
import type { MediaService } from './media.service.ts';

const tag = 'Media';
const readers = { roles: ['admin', 'editor', 'author'], scope: 'read' } as const;
const managers = { roles: ['admin', 'editor', 'author'], scope: 'media' } as const;
const inUse = 'The media is used by articles (listed in `articles`) or as a user\'s avatar; code `media_in_use`.';

export function mediaAdminRoutes(service: MediaService): AnyRoute[] {
  return [
    defineRoute({
      method: 'get', path: '/v1/admin/media', operationId: 'listMedia', summary: 'List media, newest first', tag, access: readers,
      query: ListMediaQuery, response: AdminMediaPage,
      handler: ({ query }) => service.list(query),
    }),
    defineRoute({
      method: 'get', path: '/v1/admin/media/{id}', operationId: 'getMedia', summary: 'Get a media item', tag, access: readers,
      params: IdParams, response: AdminMediaSchema,
      handler: ({ params }) => service.get(params.id),
    }),
    defineRoute({
      method: 'post', path: '/v1/admin/media', operationId: 'createMedia', summary: 'Register a media item (its metadata)', tag, access: managers,
      description: 'The file itself is served from `url`; this records what a page needs to show it with its credit.',
      body: CreateMediaBody, status: 201, response: AdminMediaSchema,
      handler: ({ body, actor }) => service.create(body, actor),
    }),
    defineRoute({
      method: 'patch', path: '/v1/admin/media/{id}', operationId: 'updateMedia', summary: 'Update a media item', tag, access: managers,
      description: 'An author may change only media they added. The kind cannot change while the media is in use.',
      params: IdParams, body: UpdateMediaBody, response: AdminMediaSchema, errors: { 409: inUse },
      handler: ({ params, body, actor }) => service.update(params.id, body, actor),
    }),
    defineRoute({
      method: 'delete', path: '/v1/admin/media/{id}', operationId: 'deleteMedia', summary: 'Delete a media item', tag, access: managers,
      description: 'An author may delete only media they added. Refused while an article or a user\'s avatar uses it.',
      params: IdParams, status: 204, errors: { 409: inUse },
      handler: ({ params, actor }) => service.delete(params.id, actor),
    }),
  ];
}

export function mediaPublicRoutes(service: MediaService): AnyRoute[] {
  return [
    defineRoute({
      method: 'get', path: '/v1/media/{id}', operationId: 'getPublicMedia', summary: 'Get a media item', tag, access: { public: true },
      params: IdParams, response: MediaSchema,
      handler: ({ params }) => service.getPublic(params.id),
    }),
  ];
}

import { IdParams, SlugParams, TagRefSchema } from '../../shared/common.schemas.ts';
import { defineRoute, type AnyRoute } from '../../http/route.ts';
import { anyone, staffRead, staffWrite, editorsWrite } from '../../http/access.ts';
import { CreateTagBody, ListTagsQuery, PublicTagPage, TagPage, TagSchema, UpdateTagBody } from './tags.schemas.ts';
import type { TagsService } from './tags.service.ts';

const tag = 'Tags';

// Authors tag their own drafts, so they may add a tag; renaming or removing one affects everybody's articles.
export function tagAdminRoutes(service: TagsService): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/v1/admin/tags',
      operationId: 'listTags',
      summary: 'List tags alphabetically',
      tag,
      access: staffRead,
      query: ListTagsQuery,
      response: TagPage,
      handler: ({ query }) => service.list(query.limit, query.cursor),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/admin/tags/{id}',
      operationId: 'getTag',
      summary: 'Get a tag',
      tag,
      access: staffRead,
      params: IdParams,
      response: TagSchema,
      handler: ({ params }) => service.get(params.id),
    }),
    defineRoute({
      method: 'post',
      path: '/v1/admin/tags',
      operationId: 'createTag',
      summary: 'Create a tag',
      tag,
      access: staffWrite,
      body: CreateTagBody,
      status: 201,
      response: TagSchema,
      errors: { 409: 'The slug is taken.' },
      audit: { action: 'tag.create', targetType: 'tag' },
      handler: ({ body, actor }) => service.create(body, actor),
    }),
    defineRoute({
      method: 'patch',
      path: '/v1/admin/tags/{id}',
      operationId: 'updateTag',
      summary: 'Rename a tag or change its slug',
      tag,
      access: editorsWrite,
      description: 'A new name keeps the slug; give `slug` to change it.',
      params: IdParams,
      body: UpdateTagBody,
      response: TagSchema,
      errors: { 409: 'The slug is taken.' },
      ifMatch: true,
      audit: { action: 'tag.update', targetType: 'tag' },
      handler: ({ params, body, expectedVersion, actor }) => service.update(params.id, body, expectedVersion, actor),
    }),
    defineRoute({
      method: 'delete',
      path: '/v1/admin/tags/{id}',
      operationId: 'deleteTag',
      summary: 'Delete a tag',
      tag,
      access: editorsWrite,
      description: 'The tag is also taken off every article that has it.',
      params: IdParams,
      status: 204,
      ifMatch: true,
      audit: { action: 'tag.delete', targetType: 'tag' },
      handler: ({ params, expectedVersion, actor }) => service.delete(params.id, expectedVersion, actor),
    }),
  ];
}

export function tagPublicRoutes(service: TagsService): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/v1/tags',
      operationId: 'listPublicTags',
      summary: 'List tags alphabetically',
      tag,
      access: anyone,
      query: ListTagsQuery,
      response: PublicTagPage,
      cache: { lists: ['tags'] },
      handler: ({ query }) => service.listPublic(query.limit, query.cursor),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/tags/{slug}',
      operationId: 'getPublicTag',
      summary: 'Get a tag by its slug',
      tag,
      access: anyone,
      description:
        'What a tag page shows above its articles (`GET /v1/articles?tag={slug}`). A tag with no published articles is still a tag.',
      // By slug: a tag created or given this slug later must not find an old 404 here, so any tag change purges it.
      params: SlugParams,
      response: TagRefSchema,
      cache: { lists: ['tags'] },
      handler: ({ params }) => service.getPublic(params.slug),
    }),
  ];
}

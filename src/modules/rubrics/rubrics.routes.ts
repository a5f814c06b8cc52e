import { IdParams, SlugParams } from '../../shared/common.schemas.ts';
import { defineRoute, type AnyRoute } from '../../http/route.ts';
import { anyone, staffRead, editorsWrite } from '../../http/access.ts';
import type { RubricsService } from './rubrics.service.ts';
import {
  CreateRubricBody,
  ListRubricsQuery,
  PublicRubricPage,
  PublicRubricSchema,
  RubricPage,
  RubricSchema,
  UpdateRubricBody,
} from './rubrics.schemas.ts';

const tag = 'Rubrics';

export function rubricAdminRoutes(service: RubricsService): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/v1/admin/rubrics',
      operationId: 'listRubrics',
      summary: 'List rubrics',
      tag,
      access: staffRead,
      query: ListRubricsQuery,
      response: RubricPage,
      handler: ({ query }) => service.list(query.limit, query.cursor),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/admin/rubrics/{id}',
      operationId: 'getRubric',
      summary: 'Get a rubric',
      tag,
      access: staffRead,
      params: IdParams,
      response: RubricSchema,
      handler: ({ params }) => service.get(params.id),
    }),
    defineRoute({
      method: 'post',
      path: '/v1/admin/rubrics',
      operationId: 'createRubric',
      summary: 'Create a rubric',
      tag,
      access: editorsWrite,
      body: CreateRubricBody,
      status: 201,
      response: RubricSchema,
      errors: { 409: 'The slug is taken.' },
      audit: { action: 'rubric.create', targetType: 'rubric' },
      handler: ({ body, actor }) => service.create(body, actor),
    }),
    defineRoute({
      method: 'patch',
      path: '/v1/admin/rubrics/{id}',
      operationId: 'updateRubric',
      summary: 'Update a rubric',
      tag,
      access: editorsWrite,
      params: IdParams,
      body: UpdateRubricBody,
      response: RubricSchema,
      errors: { 409: 'The slug is taken.' },
      ifMatch: true,
      audit: { action: 'rubric.update', targetType: 'rubric' },
      handler: ({ params, body, expectedVersion, actor }) => service.update(params.id, body, expectedVersion, actor),
    }),
    defineRoute({
      method: 'delete',
      path: '/v1/admin/rubrics/{id}',
      operationId: 'deleteRubric',
      summary: 'Delete a rubric',
      tag,
      access: editorsWrite,
      description: 'Refused while articles, feed items or sub-rubrics use the rubric.',
      params: IdParams,
      status: 204,
      errors: { 409: 'The rubric is in use.' },
      ifMatch: true,
      audit: { action: 'rubric.delete', targetType: 'rubric' },
      handler: ({ params, expectedVersion, actor }) => service.delete(params.id, expectedVersion, actor),
    }),
  ];
}

export function rubricPublicRoutes(service: RubricsService): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/v1/rubrics',
      operationId: 'listPublicRubrics',
      summary: 'List active rubrics in display order',
      tag,
      access: anyone,
      query: ListRubricsQuery,
      response: PublicRubricPage,
      cache: { lists: ['rubrics'] },
      handler: ({ query }) => service.listPublic(query.limit, query.cursor),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/rubrics/{slug}',
      operationId: 'getPublicRubric',
      summary: 'Get an active rubric with its parent and sub-rubrics',
      tag,
      access: anyone,
      // Its sub-rubrics are a query's result: a new one joins them.
      params: SlugParams,
      response: PublicRubricSchema,
      cache: { lists: ['rubrics'] },
      handler: ({ params }) => service.getPublic(params.slug),
    }),
  ];
}

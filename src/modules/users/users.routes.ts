import { IdParams, SlugParams } from '../../shared/common.schemas.ts';
import { defineRoute, type AnyRoute } from '../../http/route.ts';
import { anyone, adminsOnly } from '../../http/access.ts';
import { AuthorSchema, CreateUserBody, ListUsersQuery, UpdateUserBody, UserPage, UserSchema } from './users.schemas.ts';
import type { UsersService } from './users.service.ts';

const tag = 'Users';

export function userAdminRoutes(service: UsersService): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/v1/admin/users',
      operationId: 'listUsers',
      summary: 'List users',
      tag,
      access: adminsOnly,
      query: ListUsersQuery,
      response: UserPage,
      handler: ({ query }) => service.list(query.limit, query.cursor),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/admin/users/{id}',
      operationId: 'getUser',
      summary: 'Get a user',
      tag,
      access: adminsOnly,
      params: IdParams,
      response: UserSchema,
      handler: ({ params }) => service.get(params.id),
    }),
    defineRoute({
      method: 'post',
      path: '/v1/admin/users',
      operationId: 'createUser',
      summary: 'Create a user',
      tag,
      access: adminsOnly,
      body: CreateUserBody,
      status: 201,
      response: UserSchema,
      errors: { 409: 'The e-mail or slug is taken.', 503: 'This server is hashing as many passwords as it takes at once (code `server_busy`); nothing changed. Retry after Retry-After.' },
      audit: { action: 'user.create', targetType: 'user' },
      handler: ({ body }) => service.create(body),
    }),
    defineRoute({
      method: 'patch',
      path: '/v1/admin/users/{id}',
      operationId: 'updateUser',
      summary: 'Update a user',
      tag,
      access: adminsOnly,
      description:
        "A new password, a new role or `isActive: false` also ends the user's sessions: refresh and access tokens stop working at once.",
      params: IdParams,
      body: UpdateUserBody,
      response: UserSchema,
      errors: { 409: 'The e-mail or slug is taken, or an admin would lock themselves out.', 503: 'This server is hashing as many passwords as it takes at once (code `server_busy`); nothing changed. Retry after Retry-After.' },
      ifMatch: true,
      audit: { action: 'user.update', targetType: 'user' },
      handler: async ({ params, body, actor, expectedVersion, addAuditDetails }) => {
        const { user, changes } = await service.updateWithChanges(params.id, body, actor, expectedVersion);
        if (changes.role) addAuditDetails({ role: changes.role });
        return user;
      },
    }),
    defineRoute({
      method: 'delete',
      path: '/v1/admin/users/{id}',
      operationId: 'deleteUser',
      summary: 'Delete a user',
      tag,
      access: adminsOnly,
      description: 'Refused while the user is an author of articles; disable the account instead.',
      params: IdParams,
      status: 204,
      errors: { 409: 'The user is an author of articles, or is the caller.' },
      ifMatch: true,
      audit: { action: 'user.delete', targetType: 'user' },
      handler: ({ params, actor, expectedVersion }) => service.delete(params.id, actor, expectedVersion),
    }),
  ];
}

export function authorPublicRoutes(service: UsersService): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/v1/authors/{slug}',
      operationId: 'getAuthor',
      summary: "Get an author's public byline",
      tag: 'Authors',
      access: anyone,
      description: 'Only people with at least one published article have a public page.',
      // Only an author with a public article has a page: it comes and goes with articles.
      params: SlugParams,
      response: AuthorSchema,
      cache: { lists: ['articles'] },
      handler: ({ params }) => service.getAuthor(params.slug),
    }),
  ];
}

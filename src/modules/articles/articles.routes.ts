import { IdParams } from '../../http/common.schemas.ts';
import { defineRoute, HttpResult, type AnyRoute } from '../../http/route.ts';
import {
  ArticlePage,
  ArticleSlugParams,
  ArticleSchema,
  ArticleSummaryPage,
  CreateArticleBody,
  ListArticlesQuery,
  ListPublicArticlesQuery,
  PublicArticleSchema,
  UpdateArticleBody,
} from './articles.schemas.ts';
import type { ArticlesService } from './articles.service.ts';

const tag = 'Articles';
const readers = { roles: ['admin', 'editor', 'author'], scope: 'read' } as const;
const writers = { roles: ['admin', 'editor', 'author'], scope: 'write' } as const;
const publishers = { roles: ['admin', 'editor'], scope: 'publish' } as const;
const authorsNote = 'An author sees and changes only articles they are an author of, and changes only drafts.';
const slugTaken = 'The slug is another article\'s current or former slug; code `slug_taken`.';

export function articleAdminRoutes(service: ArticlesService): AnyRoute[] {
  return [
    defineRoute({
      method: 'get', path: '/v1/admin/articles', operationId: 'listArticles', summary: 'List articles, last updated first', tag, access: readers,
      description: `Drafts and published articles, filtered by status, rubric, author or text. ${authorsNote}`,
      query: ListArticlesQuery, response: ArticlePage,
      handler: ({ query, actor }) => service.list(query, actor),
    }),
    defineRoute({
      method: 'get', path: '/v1/admin/articles/{id}', operationId: 'getArticle', summary: 'Get an article', tag, access: readers,
      description: authorsNote,
      params: IdParams, response: ArticleSchema,
      handler: ({ params, actor }) => service.get(params.id, actor),
    }),
    defineRoute({
      method: 'post', path: '/v1/admin/articles', operationId: 'createArticle', summary: 'Create a draft article', tag, access: writers,
      description: 'The slug is made from the title unless given. An author is on the byline by default and must stay on it.',
      body: CreateArticleBody, status: 201, response: ArticleSchema, errors: { 409: slugTaken },
      handler: ({ body, actor }) => service.create(body, actor),
    }),
    defineRoute({
      method: 'patch', path: '/v1/admin/articles/{id}', operationId: 'updateArticle', summary: 'Update an article', tag, access: writers,
      description: `A changed slug keeps the old one answering with a redirect. Changes to a published article reach the feed at once. ${authorsNote}`,
      params: IdParams, body: UpdateArticleBody, response: ArticleSchema, errors: { 409: slugTaken },
      handler: ({ params, body, actor }) => service.update(params.id, body, actor),
    }),
    defineRoute({
      method: 'delete', path: '/v1/admin/articles/{id}', operationId: 'deleteArticle', summary: 'Delete an article', tag, access: writers,
      description: `Its feed item and former slugs go with it. ${authorsNote}`,
      params: IdParams, status: 204,
      handler: ({ params, actor }) => service.delete(params.id, actor),
    }),
    defineRoute({
      method: 'post', path: '/v1/admin/articles/{id}/publish', operationId: 'publishArticle', summary: 'Publish an article', tag, access: publishers,
      description: 'Sets the publication time to now and puts the article in the feed unless `showInFeed` is off. Publishing a published article changes nothing.',
      params: IdParams, response: ArticleSchema,
      handler: ({ params, actor }) => service.publish(params.id, actor),
    }),
    defineRoute({
      method: 'post', path: '/v1/admin/articles/{id}/unpublish', operationId: 'unpublishArticle', summary: 'Unpublish an article', tag, access: publishers,
      description: 'Turns it back into a draft and takes it out of the feed. Unpublishing a draft changes nothing.',
      params: IdParams, response: ArticleSchema,
      handler: ({ params, actor }) => service.unpublish(params.id, actor),
    }),
  ];
}

export function articlePublicRoutes(service: ArticlesService): AnyRoute[] {
  return [
    defineRoute({
      method: 'get', path: '/v1/articles', operationId: 'listPublicArticles', summary: 'List published articles, newest first', tag, access: { public: true },
      description: 'Filter by rubric (with its sub-rubrics), tag or author slug, and by publication time.',
      query: ListPublicArticlesQuery, response: ArticleSummaryPage,
      handler: ({ query }) => service.listPublic(query),
    }),
    defineRoute({
      method: 'get', path: '/v1/articles/{slug}', operationId: 'getPublicArticle', summary: 'Get a published article by slug', tag, access: { public: true },
      description: 'A former slug answers 301 with the current address in `Location`.',
      params: ArticleSlugParams, response: PublicArticleSchema,
      extraResponses: {
        301: {
          description: 'The slug is a former one; the article lives at the address in `Location`.',
          headers: { Location: { description: 'The article\'s current address, `/v1/articles/{slug}`.', schema: { type: 'string' } } },
        },
      },
      handler: async ({ params }) => {
        const found = await service.getPublic(params.slug);
        if ('movedTo' in found) return new HttpResult(301, undefined, { Location: `/v1/articles/${encodeURIComponent(found.movedTo)}` });
        return found.article;
      },
    }),
  ];
}

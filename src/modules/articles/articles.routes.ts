import { IdParams, PageQuery } from '../../shared/common.schemas.ts';
import type { Actor } from '../../shared/actor.ts';
import { articleListKey, commentsKeyOf, rubricFilteredKey, type ListKey } from '../../shared/cache-keys.ts';
import type { ListRequest } from '../../http/public-cache.ts';
import { defineRoute, HttpResult, Represented, type AnyRoute } from '../../http/route.ts';
import { anyone, staffRead, staffWrite, editorsPublish, adminsOnly } from '../../http/access.ts';
import {
  ArticleSlugParams,
  ArticleSummaryPage,
  GetPublicArticleQuery,
  ListPublicArticlesQuery,
  PublicArticleSchema,
  type PublicArticleResponse,
} from './articles.public.schemas.ts';
import type { ArticleNinjsMapper } from './articles.ninjs.ts';
import { NINJS_MEDIA_TYPE, NinjsItemSchema } from './articles.ninjs.schemas.ts';
import {
  ArticlePage,
  ArticleSchema,
  CreateArticleBody,
  EmptyTrashResultSchema,
  ListArticlesQuery,
  PreviewLinkSchema,
  PreviewParams,
  PublishArticleBody,
  RevisionDiffQuery,
  RevisionDiffSchema,
  RevisionPage,
  RevisionParams,
  RevisionSchema,
  type ArticleResponse,
  UpdateArticleBody,
} from './articles.schemas.ts';
import type { ArticlesService } from './articles.service.ts';

const tag = 'Articles';
const targetType = 'article';
const authorsNote = 'An author sees and changes only articles they are an author of, and changes only drafts.';
const inTrashNote = 'The article is in the trash (`article_in_trash`).';
// Its change reaches the public without another step, so it takes the right to publish.
const publicChangeNote =
  'A published or scheduled article is public: changing it needs the editor or admin role, or an API key with the `publish` scope ' +
  '(403 otherwise).';
const transitionNote =
  "An action the article's state does not allow answers 409 `invalid_transition` with `articleStatus` and `allowedActions`; an article in the trash, 409 `article_in_trash`.";
const slugTaken = "The slug is another article's current or former slug; code `slug_taken`.";
const adMarkingNote =
  'The body is not valid; or an INN fails its check digits (`invalid_inn`); or a sponsored article public or on its way would be left ' +
  'without its marking: erid, advertiser name, and INN or site (`ad_marking_required`).';

export function articleAdminRoutes(service: ArticlesService): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/v1/admin/articles',
      operationId: 'listArticles',
      summary: 'List articles, last updated first',
      tag,
      access: staffRead,
      description: `Drafts and published articles, filtered by status, rubric, author or text. ${authorsNote}`,
      query: ListArticlesQuery,
      response: ArticlePage,
      handler: ({ query, actor }) => service.list(query, actor),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/admin/articles/{id}',
      operationId: 'getArticle',
      summary: 'Get an article',
      tag,
      access: staffRead,
      description: authorsNote,
      params: IdParams,
      response: ArticleSchema,
      handler: ({ params, actor }) => service.get(params.id, actor),
    }),
    defineRoute({
      method: 'post',
      path: '/v1/admin/articles',
      operationId: 'createArticle',
      summary: 'Create a draft article',
      tag,
      access: staffWrite,
      description:
        'The slug is made from the title unless given. An author is on the byline by default and must stay on it. The content is kept as revision 1.',
      body: CreateArticleBody,
      status: 201,
      response: ArticleSchema,
      errors: { 409: slugTaken, 422: adMarkingNote },
      audit: { action: 'article.create', targetType },
      handler: ({ body, actor }) => service.create(body, actor),
    }),
    defineRoute({
      method: 'patch',
      path: '/v1/admin/articles/{id}',
      operationId: 'updateArticle',
      summary: 'Update an article',
      tag,
      access: staffWrite,
      description: [
        'A changed slug keeps the old one answering with a redirect. Changes to a published article reach the feed at once.',
        `Each save is kept as a revision. ${authorsNote} ${publicChangeNote}`,
      ].join(' '),
      params: IdParams,
      body: UpdateArticleBody,
      response: ArticleSchema,
      errors: { 409: `${slugTaken} Or the article is in the trash (\`article_in_trash\`).`, 422: adMarkingNote },
      ifMatch: true,
      audit: { action: 'article.update', targetType },
      handler: ({ params, body, actor, expectedVersion }) => service.update(params.id, body, actor, expectedVersion),
    }),
    defineRoute({
      method: 'delete',
      path: '/v1/admin/articles/{id}',
      operationId: 'deleteArticle',
      summary: 'Move an article to the trash',
      tag,
      access: staffWrite,
      description: [
        'It leaves the public API and the feed at once, and can be restored until an admin empties the trash.',
        `${authorsNote} ${publicChangeNote}`,
      ].join(' '),
      params: IdParams,
      status: 204,
      errors: { 409: inTrashNote },
      ifMatch: true,
      audit: { action: 'article.delete', targetType },
      handler: ({ params, actor, expectedVersion }) => service.delete(params.id, actor, expectedVersion),
    }),
    defineRoute({
      method: 'post',
      path: '/v1/admin/articles/{id}/restore',
      operationId: 'restoreArticle',
      summary: 'Bring an article back from the trash',
      tag,
      access: staffWrite,
      description: `It comes back as a draft: publish it again to make it public. ${authorsNote}`,
      params: IdParams,
      response: ArticleSchema,
      errors: { 409: 'The article is not in the trash (`article_not_in_trash`).' },
      ifMatch: true,
      audit: { action: 'article.restore', targetType },
      handler: ({ params, actor, expectedVersion }) => service.restore(params.id, actor, expectedVersion),
    }),
    defineRoute({
      method: 'delete',
      path: '/v1/admin/trash/articles',
      operationId: 'emptyArticleTrash',
      summary: 'Empty the trash: delete trashed articles for good',
      tag,
      access: adminsOnly,
      description: 'Their revisions, feed items and former slugs go with them. This cannot be undone.',
      response: EmptyTrashResultSchema,
      audit: { action: 'article.trash.empty', targetType },
      handler: async ({ addAuditDetails }) => {
        const result = await service.emptyTrash();
        addAuditDetails(result);
        return result;
      },
    }),
    workflowRoute(
      'submit',
      'Submit an article for review',
      'A draft goes to review; an author submits their own.',
      staffWrite,
      service.submit,
    ),
    workflowRoute(
      'reject',
      'Send an article back to its authors',
      'An article in review goes back to draft.',
      editorsPublish,
      service.reject,
    ),
    defineRoute({
      method: 'post',
      path: '/v1/admin/articles/{id}/publish',
      operationId: 'publishArticle',
      summary: 'Publish an article now, or schedule it',
      tag,
      access: editorsPublish,
      description: [
        'Without `publishAt` (or with a past one) the article is public and in the feed (unless `showInFeed` is off) at once.',
        'With a future `publishAt` it is `scheduled` and becomes public, with its feed item, at that moment on every instance:',
        'public reads compare with the clock, so no timer has to fire and a restart loses nothing. An embargo (`embargoUntil`) still holds it back.',
        `Starts from draft, in review, scheduled (to reschedule) or archived. ${transitionNote}`,
      ].join(' '),
      params: IdParams,
      body: PublishArticleBody,
      isBodyOptional: true,
      response: ArticleSchema,
      errors: {
        409: transitionNote,
        422: 'The body is not valid, or the article is sponsored and lacks its ad marking (`ad_marking_required`): an advertisement goes public only marked.',
      },
      ifMatch: true,
      audit: { action: 'article.publish', targetType },
      handler: async ({ params, body, actor, expectedVersion, addAuditDetails }) => {
        const article = await service.publish(params.id, actor, { ...body, expectedVersion });
        addAuditDetails({ status: article.status, publishedAt: article.publishedAt });
        return article;
      },
    }),
    workflowRoute(
      'unpublish',
      'Unpublish an article',
      'A published, scheduled or archived article goes back to draft, out of the public API and the feed.',
      editorsPublish,
      service.unpublish,
    ),
    workflowRoute(
      'archive',
      'Archive an article',
      'A published article is taken down and kept as it was; publishing it again brings it back.',
      editorsPublish,
      service.archive,
    ),
    defineRoute({
      method: 'get',
      path: '/v1/admin/articles/{id}/revisions',
      operationId: 'listArticleRevisions',
      summary: "List an article's revisions, newest first",
      tag,
      access: staffRead,
      description: `Every save is a revision, numbered with the version it made. ${authorsNote}`,
      params: IdParams,
      query: PageQuery,
      response: RevisionPage,
      handler: ({ params, query, actor }) => service.listRevisions(params.id, query, actor),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/admin/articles/{id}/revisions/{revisionId}',
      operationId: 'getArticleRevision',
      summary: 'Get a revision with its content',
      tag,
      access: staffRead,
      params: RevisionParams,
      response: RevisionSchema,
      handler: ({ params, actor }) => service.getRevision(params.id, params.revisionId, actor),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/admin/articles/{id}/revisions/{revisionId}/diff',
      operationId: 'diffArticleRevisions',
      summary: 'Compare two revisions',
      tag,
      access: staffRead,
      description:
        "The fields that differ, and the body's blocks added, removed or changed, from this revision to `to` (the newest when left out).",
      params: RevisionParams,
      query: RevisionDiffQuery,
      response: RevisionDiffSchema,
      handler: ({ params, query, actor }) => service.diffRevisions(params.id, params.revisionId, query.to, actor),
    }),
    defineRoute({
      method: 'post',
      path: '/v1/admin/articles/{id}/revisions/{revisionId}/restore',
      operationId: 'restoreArticleRevision',
      summary: 'Restore a revision',
      tag,
      access: staffWrite,
      description: [
        "Saves the revision's content as the article's content; that save is a new revision, so nothing is lost.",
        `If-Match is the article's ETag. ${authorsNote} ${publicChangeNote}`,
      ].join(' '),
      params: RevisionParams,
      response: ArticleSchema,
      errors: { 409: `${slugTaken} Or the article is in the trash (\`article_in_trash\`).` },
      ifMatch: true,
      audit: { action: 'article.revision.restore', targetType },
      handler: async ({ params, actor, expectedVersion, addAuditDetails }) => {
        addAuditDetails({ revisionId: params.revisionId });
        return service.restoreRevision(params.id, params.revisionId, actor, expectedVersion);
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/admin/articles/{id}/preview',
      operationId: 'createArticlePreview',
      summary: 'Get a short-lived preview link',
      tag,
      access: staffRead,
      description: `Anyone with the link sees the article as saved now, in the public shape, until it expires; it stays unpublished. ${authorsNote}`,
      params: IdParams,
      status: 201,
      response: PreviewLinkSchema,
      errors: { 409: inTrashNote },
      audit: { action: 'article.preview', targetType },
      handler: ({ params, actor }) => service.createPreview(params.id, actor),
    }),
  ];

  function workflowRoute(
    action: 'submit' | 'reject' | 'unpublish' | 'archive',
    summary: string,
    what: string,
    access: typeof staffWrite | typeof editorsPublish,
    run: (id: string, actor: Actor, expectedVersion: number | null) => Promise<ArticleResponse>,
  ): AnyRoute {
    return defineRoute({
      method: 'post',
      path: `/v1/admin/articles/{id}/${action}`,
      operationId: `${action}Article`,
      summary,
      tag,
      access,
      description: `${what} ${transitionNote}`,
      params: IdParams,
      response: ArticleSchema,
      errors: { 409: transitionNote },
      ifMatch: true,
      audit: { action: `article.${action}`, targetType },
      handler: ({ params, actor, expectedVersion }) => run(params.id, actor, expectedVersion),
    });
  }
}

/** The lists an article page shows beyond the records in it, for its cache keys. */
function publicArticleLists(page: Record<string, unknown>): ListKey[] {
  return [
    ...('related' in page ? ['articles' as const] : []),
    // The JSON-LD names the rubric, tags, authors and cover even when `include` or `fields` leave their records out.
    ...('jsonLd' in page
      ? (
          [
            ['rubric', 'rubrics'],
            ['tags', 'tags'],
            ['authors', 'users'],
            ['cover', 'media'],
          ] as const
        )
          .filter(([field]) => !(field in page))
          .map(([, list]) => list)
      : []),
    // An inactive rubric is shown as null, which names no record: its reactivation must still reach the page.
    ...(page.rubric === null ? ['rubrics' as const] : []),
    // Only a page that embeds its comment count is purged by a count update.
    ...('commentCount' in page ? [commentsKeyOf(String(page.id))] : []),
  ];
}

/**
 * The list a filtered page shows: one filter's key is enough, as an article matching the page matches each of
 * its filters, and its change purges each filter's key. A rubric filter also depends on the rubric tree.
 */
function publicListLists(_page: Record<string, unknown>, { query }: ListRequest): ListKey[] {
  const slugOf = (name: string) => (typeof query[name] === 'string' ? (query[name] as string) : undefined);
  const [tag, author, rubric] = [slugOf('tag'), slugOf('author'), slugOf('rubric')];
  const byRubric = rubric === undefined ? [] : [rubricFilteredKey];
  if (tag !== undefined) return [articleListKey('tag', tag), ...byRubric];
  if (author !== undefined) return [articleListKey('author', author), ...byRubric];
  if (rubric !== undefined) return [articleListKey('rubric', rubric), ...byRubric];
  return ['articles'];
}

/** A list's `comments:<id>` keys, for the items that show their comment count. */
function listCommentKeys(page: Record<string, unknown>): ListKey[] {
  const items = (page.items ?? []) as { id: string; commentCount?: number }[];
  return items.flatMap((item) => (item.commentCount !== undefined ? [commentsKeyOf(item.id)] : []));
}

/** Adds to a public article what another module keeps of it (a live blog's coverage), asked for by `fields`. */
export type PublicArticleExtras = (article: PublicArticleResponse, fields: readonly string[] | undefined) => Promise<PublicArticleResponse>;

export function articlePublicRoutes(service: ArticlesService, withExtras?: PublicArticleExtras, ninjsOf?: ArticleNinjsMapper): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/v1/articles',
      operationId: 'listPublicArticles',
      summary: 'List published articles, newest first',
      tag,
      access: anyone,
      description: 'Filter by rubric (with its sub-rubrics), tag or author slug, and by publication time.',
      query: ListPublicArticlesQuery,
      response: ArticleSummaryPage,
      cache: { lists: (page, request) => [...publicListLists(page, request), ...listCommentKeys(page)] },
      handler: ({ query }) => service.listPublic(query),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/articles/{slug}',
      operationId: 'getPublicArticle',
      summary: 'Get a published article by slug',
      tag,
      access: anyone,
      description:
        'A former slug answers 301 with the current address in `Location`. With `Accept: application/ninjs+json` the answer is ' +
        'the article as IPTC ninjs 2.0, whole whatever `include` and `fields` say.',
      params: ArticleSlugParams,
      query: GetPublicArticleQuery,
      response: PublicArticleSchema,
      ...(ninjsOf
        ? { representations: { [NINJS_MEDIA_TYPE]: { response: NinjsItemSchema, description: 'the article as IPTC ninjs 2.0.' } } }
        : {}),
      extraResponses: {
        301: {
          description: 'The slug is a former one; the article lives at the address in `Location`.',
          headers: {
            Location: {
              description: "The article's current address, `/v1/articles/{slug}`, with the request's query.",
              schema: { type: 'string' },
            },
          },
        },
      },
      cache: { lists: publicArticleLists },
      handler: async ({ params, query, req, representation }) => {
        // The query goes along: a front end asking for `include=related` gets it at the new address too.
        const search = req.originalUrl.includes('?') ? req.originalUrl.slice(req.originalUrl.indexOf('?')) : '';
        const movedTo = (slug: string) => new HttpResult(301, undefined, { Location: `/v1/articles/${encodeURIComponent(slug)}${search}` });
        if (representation === NINJS_MEDIA_TYPE && ninjsOf) {
          const full = await service.getPublicInFull(params.slug);
          return 'movedTo' in full ? movedTo(full.movedTo) : new Represented(ninjsOf(full.article, full), full.article);
        }
        const found = await service.getPublic(params.slug, query);
        if ('movedTo' in found) return movedTo(found.movedTo);
        // Only a live blog has more to add: a standard article's page stays one statement (its format came with it).
        return withExtras && found.format === 'live' ? withExtras(found.article, query.fields) : found.article;
      },
    }),
    defineRoute({
      method: 'get',
      path: '/v1/preview/{token}',
      operationId: 'getArticlePreview',
      summary: 'See an article through a preview link',
      tag,
      access: anyone,
      description:
        'The article as saved now, drafts included, in the public shape. Never cached nor indexed; an expired or altered link is 404.',
      params: PreviewParams,
      response: PublicArticleSchema,
      cache: false,
      // Guessing links: failed uses are counted per address.
      rateLimit: { failures: 'token' },
      handler: async ({ params }) =>
        new HttpResult(200, await service.getPreview(params.token), { 'Cache-Control': 'no-store', 'X-Robots-Tag': 'noindex, nofollow' }),
    }),
  ];
}

import { editorsPublish, staffRead, anyone } from '../../http/access.ts';
import type { Access } from '../../http/route-definition.ts';
import { defineRoute, type AnyRoute } from '../../http/route.ts';
import { IdParams, PageQuery } from '../../shared/common.schemas.ts';
import { liveEntriesKey } from '../../shared/cache-keys.ts';
import { ArticleSlugParams } from '../articles/articles.public.schemas.ts';
import { ArticleSchema } from '../articles/articles.schemas.ts';
import {
  CreateLiveEntryBody,
  LiveEntryPage,
  LiveEntryParams,
  LiveEntryRevisionPage,
  LiveEntrySchema,
  PublicLiveEntriesQuery,
  PublicLiveEntryPage,
  UpdateLiveEntryBody,
} from './live.schemas.ts';
import type { LiveService } from './live.service.ts';

const tag = 'Live coverage';
const targetType = 'live_entry';

/** Entries are written by the reporters on the byline as well as editors; an entry on a public live blog is public at once. */
const reportersPublish = { roles: ['admin', 'editor', 'author'], scope: 'publish' } as const satisfies Access;

const whoNote =
  "Editors and admins; an author on the live article's byline (others do not see it: 404) posts, and changes only their own entries. " +
  'An API key needs the `publish` scope: an entry on a public live blog is public at once.';
const notLiveNote = 'A standard article has no entries (`article_not_live`); an article in the trash takes none (`article_in_trash`).';

export function liveAdminRoutes(service: LiveService): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/v1/admin/articles/{id}/live-entries',
      operationId: 'listLiveEntries',
      summary: "List a live article's entries, newest first",
      tag,
      access: staffRead,
      description: whoNote,
      params: IdParams,
      query: PageQuery,
      response: LiveEntryPage,
      errors: { 409: notLiveNote },
      handler: ({ params, query, actor }) => service.listEntries(params.id, query, actor),
    }),
    defineRoute({
      method: 'post',
      path: '/v1/admin/articles/{id}/live-entries',
      operationId: 'createLiveEntry',
      summary: 'Post an entry to a live article',
      tag,
      access: reportersPublish,
      description: [
        'Public at once when the article is public (and streamed to readers); on a draft, scheduled or embargoed article, when the article is.',
        `Pinning it unpins the entry pinned before. It is kept as revision 1. ${whoNote}`,
      ].join(' '),
      params: IdParams,
      body: CreateLiveEntryBody,
      status: 201,
      response: LiveEntrySchema,
      errors: { 409: notLiveNote },
      audit: { action: 'live_entry.create', targetType },
      handler: ({ params, body, actor }) => service.createEntry(params.id, body, actor),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/admin/articles/{id}/live-entries/{entryId}',
      operationId: 'getLiveEntry',
      summary: 'Get a live entry',
      tag,
      access: staffRead,
      params: LiveEntryParams,
      response: LiveEntrySchema,
      errors: { 409: notLiveNote },
      handler: ({ params, actor }) => service.getEntry(params.id, params.entryId, actor),
    }),
    defineRoute({
      method: 'get',
      path: '/v1/admin/articles/{id}/live-entries/{entryId}/revisions',
      operationId: 'listLiveEntryRevisions',
      summary: "List a live entry's revisions, newest first",
      tag,
      access: staffRead,
      description: 'Every save of the entry is a revision, numbered with the version it made.',
      params: LiveEntryParams,
      query: PageQuery,
      response: LiveEntryRevisionPage,
      errors: { 409: notLiveNote },
      handler: ({ params, query, actor }) => service.listEntryRevisions(params.id, params.entryId, query, actor),
    }),
    defineRoute({
      method: 'patch',
      path: '/v1/admin/articles/{id}/live-entries/{entryId}',
      operationId: 'updateLiveEntry',
      summary: 'Edit a live entry',
      tag,
      access: reportersPublish,
      description: `Each save is kept as a revision. Pinning it unpins the entry pinned before. ${whoNote}`,
      params: LiveEntryParams,
      body: UpdateLiveEntryBody,
      response: LiveEntrySchema,
      errors: { 409: notLiveNote },
      ifMatch: true,
      audit: { action: 'live_entry.update', targetType },
      handler: ({ params, body, actor, expectedVersion }) => service.updateEntry(params.id, params.entryId, body, actor, expectedVersion),
    }),
    defineRoute({
      method: 'delete',
      path: '/v1/admin/articles/{id}/live-entries/{entryId}',
      operationId: 'deleteLiveEntry',
      summary: 'Delete a live entry',
      tag,
      access: reportersPublish,
      description: `It leaves the public API at once; \`since\` reads name it among the deleted. ${whoNote}`,
      params: LiveEntryParams,
      status: 204,
      errors: { 409: notLiveNote },
      ifMatch: true,
      audit: { action: 'live_entry.delete', targetType },
      handler: ({ params, actor, expectedVersion }) => service.deleteEntry(params.id, params.entryId, actor, expectedVersion),
    }),
    coverageRoute('end', 'End the coverage of a live article', 'The live blog stays, marked as no longer live; readers are told at once.'),
    coverageRoute('resume', 'Resume the coverage of a live article', 'Undoes end-coverage: the live blog is live again.'),
  ];

  function coverageRoute(action: 'end' | 'resume', summary: string, what: string): AnyRoute {
    return defineRoute({
      method: 'post',
      path: `/v1/admin/articles/{id}/${action}-coverage`,
      operationId: `${action}ArticleCoverage`,
      summary,
      tag,
      access: editorsPublish,
      description: `${what} If-Match is the article's ETag.`,
      params: IdParams,
      response: ArticleSchema,
      errors: {
        409: `Not a live blog (\`article_not_live\`), in the trash (\`article_in_trash\`), or already ${action === 'end' ? 'ended (`coverage_ended`)' : 'running (`coverage_running`)'}.`,
      },
      ifMatch: true,
      audit: { action: `article.coverage.${action}`, targetType: 'article' },
      handler: ({ params, actor, expectedVersion }) =>
        action === 'end'
          ? service.endCoverage(params.id, actor, expectedVersion)
          : service.resumeCoverage(params.id, actor, expectedVersion),
    });
  }
}

export function livePublicRoutes(service: LiveService): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/v1/articles/{slug}/live-entries',
      operationId: 'listPublicLiveEntries',
      summary: "A live blog's entries, newest first, or what changed since",
      tag,
      access: anyone,
      description: [
        'Pages newest first by `cursor`; `keyEvents=true` for key events only.',
        "With `since` (from an earlier answer's `since`, or the article's `live.since`): the entries added or edited after it and the ids",
        'deleted after it, so a client that polls stays exact. 404 for an article that is not a public live blog.',
      ].join(' '),
      params: ArticleSlugParams,
      query: PublicLiveEntriesQuery,
      response: PublicLiveEntryPage,
      cache: { lists: (page) => [liveEntriesKey(String(page.articleId))] },
      handler: ({ params, query }) => service.listPublicEntries(params.slug, query),
    }),
  ];
}

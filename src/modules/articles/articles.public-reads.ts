import { NotFoundError } from '../../errors.ts';
import type { ArticleFormat } from '../../generated/sqlite/client.ts';
import type { ArticleBlockInput } from '../../shared/article-blocks.schemas.ts';
import type { Actor } from '../../shared/actor.ts';
import { decodeCursor, isDateIdKey, toPage, type Page } from '../../shared/cursor.ts';
import { inTrash, type ArticleContext } from './articles.context.ts';
import { allIncludes, pickFields, toArticleSummary, toPublicArticle } from './articles.mapper.ts';
import type {
  ArticleSummaryResponse,
  GetPublicArticleInput,
  ListPublicArticlesInput,
  PublicArticleResponse,
  PublicInclude,
} from './articles.public.schemas.ts';
import type { PreviewLinkResponse } from './articles.schemas.ts';

/** What a link to a public article (a sitemap entry) needs. */
export interface PublicArticleLink {
  id: string;
  slug: string;
  title: string;
  publishedAt: string;
  updatedAt: string;
}

/** What a public slug leads to: the article, or the current slug when it is a former one. */
/** A public article (with its format, for what other modules add to a live blog's page), or where its former slug moved. */
export type PublicArticleLookup = { article: PublicArticleResponse; format: ArticleFormat } | { movedTo: string };

/** A public article with the facts its public shape leaves out and syndication formats state. */
export interface PublicArticleVersioned {
  article: PublicArticleResponse;
  version: number;
  createdAt: Date;
  embargoUntil: Date | null;
}

const toLink = (row: { id: string; slug: string; title: string; publishedAt: Date | null; updatedAt: Date }): PublicArticleLink => ({
  id: row.id,
  slug: row.slug,
  title: row.title,
  publishedAt: (row.publishedAt ?? row.updatedAt).toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

/** What the JSON-LD of a page describes, whatever `include` embeds: every relation and the comment count. */
const jsonLdIncludes: ReadonlySet<PublicInclude> = new Set([...allIncludes, 'commentCount']);

/** How many related articles an article page gets. */
const RELATED_MAX = 6;

/** What the public sees: published articles for front ends, search, feeds and sitemaps; previews of the unpublished. */
export function createPublicReadOperations(ctx: ArticleContext) {
  const { deps, repo, now, findOrThrow } = ctx;

  return {
    /** A short-lived link that shows the article as saved now, in the public shape, without publishing it. */
    async createPreview(id: string, actor: Actor): Promise<PreviewLinkResponse> {
      const current = await findOrThrow(id, actor);
      if (current.deletedAt) throw inTrash();
      const { token, expiresAt } = deps.previews.sign(id);
      return { token, url: `/v1/preview/${token}`, expiresAt: expiresAt.toISOString() };
    },

    async getPreview(token: string): Promise<PublicArticleResponse> {
      const id = deps.previews.verify(token);
      const row = id ? await repo.findForPreview(id) : null;
      if (!row) throw new NotFoundError('preview');
      // The preview shows the page as it will be, its JSON-LD included.
      const article = toPublicArticle(row);
      return { ...article, jsonLd: deps.jsonLdOf(article) };
    },

    /**
     * Articles in any state but the trash, in the public shape with the facts ninjs states, in the order of the ids
     * (the ninjs export): a draft or one in review is `withheld`, an archived one `canceled`.
     */
    async findInFullByIds(ids: readonly string[]): Promise<(PublicArticleVersioned & { pubstatus: 'usable' | 'withheld' | 'canceled' })[]> {
      const found: (PublicArticleVersioned & { pubstatus: 'usable' | 'withheld' | 'canceled' })[] = [];
      for (const id of ids) {
        const row = await repo.findForPreview(id);
        if (!row) continue;
        const isPublicBound = row.status === 'published' || row.status === 'scheduled';
        const pubstatus = isPublicBound ? 'usable' : row.status === 'archived' ? 'canceled' : 'withheld';
        found.push({
          article: toPublicArticle(row),
          version: row.version,
          createdAt: row.createdAt,
          embargoUntil: row.embargoUntil,
          pubstatus,
        });
      }
      return found;
    },

    /** Public articles by id, in the order given (any no longer public left out), with their body: search hits. */
    async findPublicByIds(ids: string[]): Promise<{ summary: ArticleSummaryResponse; body: ArticleBlockInput[] }[]> {
      if (!ids.length) return [];
      const byId = new Map((await repo.listPublishedByIds(ids, now())).map((row) => [row.id, row]));
      return ids.flatMap((id) => {
        const row = byId.get(id);
        return row ? [{ summary: toArticleSummary(row), body: row.body as ArticleBlockInput[] }] : [];
      });
    },

    async listPublic(query: ListPublicArticlesInput): Promise<Page<ArticleSummaryResponse>> {
      const key = query.cursor ? decodeCursor(query.cursor, isDateIdKey) : undefined;
      const include = new Set(query.include ?? allIncludes);
      // The filters go by slug into the one statement that reads the page: a slug that names nothing (or an
      // inactive rubric) filters everything out.
      const rows = await repo.listPublished(
        query.limit + 1,
        now(),
        {
          rubricSlug: query.rubric,
          tagSlug: query.tag,
          authorSlug: query.author,
          from: query.from ? new Date(query.from) : undefined,
          to: query.to ? new Date(query.to) : undefined,
        },
        key,
        include,
      );
      return toPage(
        rows,
        query.limit,
        (r) => pickFields(toArticleSummary(r, include), query.fields),
        (r) => [(r.publishedAt ?? r.updatedAt).toISOString(), r.id],
      );
    },

    /** A public article by slug, or where a former slug moved to; drafts, scheduled and embargoed articles are not found. */
    async getPublic(slug: string, query: GetPublicArticleInput = {}): Promise<PublicArticleLookup> {
      const at = now();
      const include = new Set(query.include ?? allIncludes);
      const wantsJsonLd = !query.fields || query.fields.includes('jsonLd');
      // The JSON-LD describes the whole article, so it needs every relation whatever `include` embeds.
      const row = await repo.findPublishedBySlug(slug, at, wantsJsonLd ? new Set([...include, ...jsonLdIncludes]) : include);
      if (row) {
        const related =
          include.has('related') && (!query.fields || query.fields.includes('related'))
            ? { related: (await repo.listRelated(row, at, RELATED_MAX)).map((r) => toArticleSummary(r)) }
            : {};
        // Its comment count is the one when the page was made: pages are not purged on every comment.
        const jsonLd = wantsJsonLd ? { jsonLd: deps.jsonLdOf(toPublicArticle(row, jsonLdIncludes)) } : {};
        return { article: pickFields({ ...toPublicArticle(row, include), ...related, ...jsonLd }, query.fields), format: row.format };
      }
      const movedTo = await repo.findRedirectTarget(slug, at);
      if (movedTo) return { movedTo };
      throw new NotFoundError('article');
    },

    /**
     * A public article by slug with every relation, and what a syndication format states beside it (its version, when
     * it was created), or where a former slug moved to: the ninjs representation of the page.
     */
    async getPublicInFull(slug: string): Promise<PublicArticleVersioned | { movedTo: string }> {
      const at = now();
      const row = await repo.findPublishedBySlug(slug, at, allIncludes);
      if (row) return { article: toPublicArticle(row), version: row.version, createdAt: row.createdAt, embargoUntil: row.embargoUntil };
      const movedTo = await repo.findRedirectTarget(slug, at);
      if (movedTo) return { movedTo };
      throw new NotFoundError('article');
    },

    /** The newest public articles in full, of a rubric and its direct sub-rubrics when given: syndication feeds. */
    async listNewestPublic(limit: number, rubricId?: string): Promise<PublicArticleResponse[]> {
      return (await repo.listPublishedInFull(limit, now(), rubricId)).map((row) => toPublicArticle(row));
    },

    /** How many articles are public now. */
    countPublic: (): Promise<number> => repo.countPublished(now()),

    /** When an article next becomes public by the clock alone (its scheduled time, its embargo's end), after `at`; null for none. */
    nextPublicChangeAfter: (at: Date): Promise<Date | null> => repo.nextVisibilityChange(at),

    /**
     * Links to `limit` public articles from the `offset`-th on, oldest first, read in chunks by key, so
     * a sitemap of a huge site never holds more than a chunk of rows.
     */
    async *streamPublicLinks(offset: number, limit: number, chunkSize = 1000): AsyncGenerator<PublicArticleLink[]> {
      const at = now();
      let after: [Date, string] | undefined;
      for (let left = limit; left > 0; ) {
        const rows = await repo.listPublishedLinks(Math.min(chunkSize, left), at, after ? { after } : { skip: offset });
        const last = rows.at(-1);
        if (!last?.publishedAt) return;
        yield rows.map(toLink);
        left -= rows.length;
        after = [last.publishedAt, last.id];
      }
    },

    /** Links to the public articles published since `since`, newest first. */
    async listRecentPublicLinks(since: Date, limit: number): Promise<PublicArticleLink[]> {
      return (await repo.listRecentLinks(limit, now(), since)).map(toLink);
    },
  };
}

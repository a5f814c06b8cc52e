import { NotFoundError, ValidationError, type FieldError } from '../../errors.ts';
import type { Actor } from '../../shared/actor.ts';
import { userIdOf } from '../../shared/actor.ts';
import { decodeCursor, isDateIdKey, toPage, type Page } from '../../shared/cursor.ts';
import { resolveSlug } from '../../shared/slug-check.ts';
import type { FeedService } from '../feed/index.ts';
import type { MediaKind, MediaService } from '../media/index.ts';
import type { RubricsService } from '../rubrics/index.ts';
import type { TagsService } from '../tags/index.ts';
import type { UsersService } from '../users/index.ts';
import { toArticleResponse, toArticleSummary, toPublicArticle } from './articles.mapper.ts';
import { assertMayChange, defaultAuthorIds, mustStayOnByline, visibleTo } from './articles.policy.ts';
import type { ArticleData, ArticleRow, ArticlesRepository } from './articles.repository.ts';
import type {
  ArticleBlockInput,
  ArticleResponse,
  ArticleSummaryResponse,
  CreateArticleInput,
  ListArticlesInput,
  ListPublicArticlesInput,
  PublicArticleResponse,
  UpdateArticleInput,
} from './articles.schemas.ts';

export interface ArticlesDeps {
  repo: ArticlesRepository;
  rubrics: Pick<RubricsService, 'exists' | 'findActiveIdBySlug'>;
  tags: Pick<TagsService, 'missingIds' | 'findIdBySlug'>;
  users: Pick<UsersService, 'missingIds'>;
  media: Pick<MediaService, 'kindsOf'>;
  feed: Pick<FeedService, 'putArticleInFeed' | 'takeArticleOutOfFeed'>;
  now: () => Date;
}

/** What a public slug leads to: the article, or the current slug when it is a former one. */
export type PublicArticleLookup = { article: PublicArticleResponse } | { movedTo: string };

/** Folds text the way Article.searchText is stored: lower case, ё as е, so filters match alike on both dialects. */
export const foldForSearch = (text: string) => text.toLowerCase().replaceAll('ё', 'е');

/** The texts of the blocks that key points may quote: paragraphs, headings, quotes and list items. */
function quotableTexts(body: ArticleBlockInput[]): string[] {
  return body.flatMap((block) => {
    switch (block.type) {
      case 'paragraph':
      case 'heading':
      case 'quote':
        return [block.text];
      case 'list':
        return [block.items.join('\n')];
      default:
        return [];
    }
  });
}

function searchTextOf(title: string, lead: string | null, body: ArticleBlockInput[]): string {
  const blockTexts = body.flatMap((block) => {
    switch (block.type) {
      case 'paragraph':
      case 'heading':
        return [block.text];
      case 'quote':
        return [block.text, block.attribution ?? ''];
      case 'list':
        return block.items;
      case 'image':
      case 'embed':
        return [block.caption ?? ''];
    }
  });
  return foldForSearch([title, lead ?? '', ...blockTexts].filter(Boolean).join('\n'));
}

const imageIdsOf = (body: ArticleBlockInput[]) => [...new Set(body.flatMap((b) => (b.type === 'image' ? [b.mediaId] : [])))];

export function createArticlesService(deps: ArticlesDeps) {
  const { repo, now } = deps;

  async function findOrThrow(id: string, actor: Actor): Promise<ArticleRow> {
    const row = await repo.findVisible(id, visibleTo(actor));
    if (!row) throw new NotFoundError('article');
    return row;
  }

  async function reload(id: string): Promise<ArticleResponse> {
    const row = await repo.findVisible(id, {});
    if (!row) throw new NotFoundError('article');
    return toArticleResponse(row);
  }

  /** Every reference and body rule a save breaks, checked before anything is written. */
  async function fieldErrors(
    input: UpdateArticleInput,
    effective: { body: ArticleBlockInput[]; keyPoints: string[] },
    actor: Actor,
  ): Promise<FieldError[]> {
    const errors: FieldError[] = [];
    const mediaIds = [
      ...(input.coverMediaId ? [input.coverMediaId] : []),
      ...(input.narrationMediaId ? [input.narrationMediaId] : []),
      ...(input.body ? imageIdsOf(input.body) : []),
    ];
    const [rubricExists, missingTags, missingUsers, kinds] = await Promise.all([
      input.rubricId ? deps.rubrics.exists(input.rubricId) : true,
      input.tagIds?.length ? deps.tags.missingIds(input.tagIds) : ([] as string[]),
      input.authorIds?.length ? deps.users.missingIds(input.authorIds) : ([] as string[]),
      mediaIds.length ? deps.media.kindsOf(mediaIds) : new Map<string, MediaKind>(),
    ]);

    if (!rubricExists) errors.push({ field: 'body.rubricId', message: 'No rubric has this id' });
    input.tagIds?.forEach((id, i) => missingTags.includes(id) && errors.push({ field: `body.tagIds.${i}`, message: 'No tag has this id' }));
    input.authorIds?.forEach((id, i) => missingUsers.includes(id) && errors.push({ field: `body.authorIds.${i}`, message: 'No user has this id' }));
    const self = mustStayOnByline(actor);
    if (self && input.authorIds && !input.authorIds.includes(self)) {
      errors.push({ field: 'body.authorIds', message: 'An author must be one of the authors' });
    }

    const kindError = (field: string, id: string, wanted: MediaKind) => {
      const kind = kinds.get(id);
      if (kind !== wanted) errors.push({ field, message: kind ? `Must be media of kind ${wanted}, not ${kind}` : 'No media has this id' });
    };
    if (input.coverMediaId) kindError('body.coverMediaId', input.coverMediaId, 'image');
    if (input.narrationMediaId) kindError('body.narrationMediaId', input.narrationMediaId, 'audio');
    input.body?.forEach((block, i) => block.type === 'image' && kindError(`body.body.${i}.mediaId`, block.mediaId, 'image'));

    // Key points are checked against the body they will be saved with, whichever of the two changed.
    if (input.body || input.keyPoints) {
      const texts = quotableTexts(effective.body);
      effective.keyPoints.forEach((point, i) => {
        if (!texts.some((text) => text.includes(point))) {
          errors.push({ field: `body.keyPoints.${i}`, message: 'Must be copied verbatim from a paragraph, heading, quote or list of the body' });
        }
      });
    }
    return errors;
  }

  function throwIfAny(errors: FieldError[]): void {
    if (errors.length) throw new ValidationError(`The article is not valid: ${errors.length === 1 ? 'one field' : `${errors.length} fields`}.`, errors);
  }

  return {
    async list(query: ListArticlesInput, actor: Actor): Promise<Page<ArticleResponse>> {
      const key = query.cursor ? decodeCursor(query.cursor, isDateIdKey) : undefined;
      const rows = await repo.list(
        query.limit + 1,
        { visible: visibleTo(actor), status: query.status, rubricId: query.rubricId, authorId: query.authorId, text: query.q ? foldForSearch(query.q) : undefined },
        key,
      );
      return toPage(rows, query.limit, toArticleResponse, (r) => [r.updatedAt.toISOString(), r.id]);
    },

    async get(id: string, actor: Actor): Promise<ArticleResponse> {
      return toArticleResponse(await findOrThrow(id, actor));
    },

    async create(input: CreateArticleInput, actor: Actor): Promise<ArticleResponse> {
      const authorIds = input.authorIds ?? defaultAuthorIds(actor);
      const keyPoints = input.keyPoints ?? [];
      throwIfAny(await fieldErrors({ ...input, authorIds, keyPoints }, { body: input.body, keyPoints }, actor));
      const slug = await resolveSlug({ given: input.slug, source: input.title, isTaken: (s) => repo.isSlugTaken(s) });
      const lead = input.lead ?? null;
      const data: ArticleData = {
        title: input.title,
        slug,
        lead,
        body: input.body,
        keyPoints,
        rubricId: input.rubricId ?? null,
        coverMediaId: input.coverMediaId ?? null,
        narrationMediaId: input.narrationMediaId ?? null,
        seoTitle: input.seoTitle ?? null,
        seoDescription: input.seoDescription ?? null,
        showInFeed: input.showInFeed ?? true,
        searchText: searchTextOf(input.title, lead, input.body),
      };
      const id = await repo.inTransaction((tx) =>
        repo.create(tx, { ...data, createdById: userIdOf(actor), at: now() }, { authorIds, tagIds: input.tagIds ?? [], bodyMediaIds: imageIdsOf(input.body) }),
      );
      return reload(id);
    },

    async update(id: string, input: UpdateArticleInput, actor: Actor): Promise<ArticleResponse> {
      const current = await findOrThrow(id, actor);
      assertMayChange(actor, current, 'edit');
      const body = input.body ?? (current.body as ArticleBlockInput[]);
      const keyPoints = input.keyPoints ?? (current.keyPoints as string[]);
      throwIfAny(await fieldErrors(input, { body, keyPoints }, actor));
      const slugChanges = input.slug !== undefined && input.slug !== current.slug;
      const slug = slugChanges ? await resolveSlug({ given: input.slug, source: current.title, isTaken: (s) => repo.isSlugTaken(s, id) }) : current.slug;

      const title = input.title ?? current.title;
      const lead = input.lead === undefined ? current.lead : input.lead;
      const rubricId = input.rubricId === undefined ? current.rubricId : input.rubricId;
      const showInFeed = input.showInFeed ?? current.showInFeed;
      const at = now();
      await repo.inTransaction(async (tx) => {
        await repo.update(
          tx,
          id,
          {
            title,
            slug,
            lead,
            ...(input.body ? { body: input.body } : {}),
            ...(input.keyPoints ? { keyPoints: input.keyPoints } : {}),
            rubricId,
            ...(input.coverMediaId !== undefined ? { coverMediaId: input.coverMediaId } : {}),
            ...(input.narrationMediaId !== undefined ? { narrationMediaId: input.narrationMediaId } : {}),
            ...(input.seoTitle !== undefined ? { seoTitle: input.seoTitle } : {}),
            ...(input.seoDescription !== undefined ? { seoDescription: input.seoDescription } : {}),
            showInFeed,
            searchText: searchTextOf(title, lead, body),
            updatedAt: at,
          },
          { authorIds: input.authorIds, tagIds: input.tagIds, bodyMediaIds: input.body ? imageIdsOf(input.body) : undefined },
        );
        if (slugChanges) await repo.recordSlugChange(tx, id, current.slug, slug, at);
        // A published article's feed item follows its showInFeed, headline and rubric.
        if (current.status === 'published' && current.publishedAt) {
          if (!showInFeed && current.showInFeed) await deps.feed.takeArticleOutOfFeed(tx, id);
          const feedShowsOld = title !== current.title || rubricId !== current.rubricId;
          if (showInFeed && (!current.showInFeed || feedShowsOld)) {
            await deps.feed.putArticleInFeed(tx, { id, title, rubricId, publishedAt: current.publishedAt });
          }
        }
      });
      return reload(id);
    },

    async delete(id: string, actor: Actor): Promise<void> {
      const current = await findOrThrow(id, actor);
      assertMayChange(actor, current, 'delete');
      await repo.inTransaction(async (tx) => {
        await deps.feed.takeArticleOutOfFeed(tx, id);
        await repo.delete(tx, id);
      });
    },

    /** Publishes a draft now (and puts it in the feed unless showInFeed is off); a published article stays as it is. */
    async publish(id: string, actor: Actor): Promise<ArticleResponse> {
      const current = await findOrThrow(id, actor);
      if (current.status === 'published') return toArticleResponse(current);
      const at = now();
      await repo.inTransaction(async (tx) => {
        const row = await repo.setStatus(tx, id, { status: 'published', publishedAt: at, updatedAt: at });
        if (row.showInFeed) await deps.feed.putArticleInFeed(tx, { id, title: row.title, rubricId: row.rubricId, publishedAt: at });
      });
      return reload(id);
    },

    /** Turns a published article back into a draft and takes it out of the feed; a draft stays as it is. */
    async unpublish(id: string, actor: Actor): Promise<ArticleResponse> {
      const current = await findOrThrow(id, actor);
      if (current.status !== 'published') return toArticleResponse(current);
      await repo.inTransaction(async (tx) => {
        await repo.setStatus(tx, id, { status: 'draft', publishedAt: null, updatedAt: now() });
        await deps.feed.takeArticleOutOfFeed(tx, id);
      });
      return reload(id);
    },

    async listPublic(query: ListPublicArticlesInput): Promise<Page<ArticleSummaryResponse>> {
      const key = query.cursor ? decodeCursor(query.cursor, isDateIdKey) : undefined;
      const [rubricId, tagId] = await Promise.all([
        query.rubric ? deps.rubrics.findActiveIdBySlug(query.rubric) : undefined,
        query.tag ? deps.tags.findIdBySlug(query.tag) : undefined,
      ]);
      // A slug that names nothing filters everything out.
      if (rubricId === null || tagId === null) return { items: [], nextCursor: null };
      const rows = await repo.listPublished(
        query.limit + 1,
        {
          rubricId,
          tagId,
          authorSlug: query.author,
          from: query.from ? new Date(query.from) : undefined,
          to: query.to ? new Date(query.to) : undefined,
        },
        key,
      );
      return toPage(rows, query.limit, toArticleSummary, (r) => [(r.publishedAt ?? r.updatedAt).toISOString(), r.id]);
    },

    /** A published article by slug, or where a former slug moved to; drafts are not found. */
    async getPublic(slug: string): Promise<PublicArticleLookup> {
      const row = await repo.findPublishedBySlug(slug);
      if (row) return { article: toPublicArticle(row) };
      const movedTo = await repo.findRedirectTarget(slug);
      if (movedTo) return { movedTo };
      throw new NotFoundError('article');
    },
  };
}

export type ArticlesService = ReturnType<typeof createArticlesService>;

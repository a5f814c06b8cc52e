import { ConflictError, NotFoundError, PreconditionFailedError, ValidationError, type FieldError } from '../../errors.ts';
import type { PrismaTx } from '../../db/database.ts';
import { actorLabel } from '../../shared/actor-label.ts';
import type { Actor } from '../../shared/actor.ts';
import type { DomainEventType, EventRecorder } from '../../shared/domain-events.ts';
import { userIdOf } from '../../shared/actor.ts';
import { decodeCursor, isDateIdKey, toPage, type Page } from '../../shared/cursor.ts';
import { resolveSlug } from '../../shared/slug-check.ts';
import type { FeedService } from '../feed/index.ts';
import type { MediaKind, MediaService } from '../media/index.ts';
import type { RubricsService } from '../rubrics/index.ts';
import type { SearchIndexer } from '../search/index.ts';
import type { TagsService } from '../tags/index.ts';
import type { UsersService } from '../users/index.ts';
import type { NewsArticleJsonLd } from '../syndication/syndication.schemas.ts';
import { allIncludes, pickFields, toArticleResponse, toArticleSummary, toPublicArticle } from './articles.mapper.ts';
import {
  assertMayChange,
  assertTransition,
  defaultAuthorIds,
  mustStayOnByline,
  statusesAllowing,
  visibleTo,
  type WorkflowAction,
} from './articles.policy.ts';
import type { PreviewTokens } from './articles.preview.ts';
import type { ArticleData, ArticleRow, ArticlesRepository } from './articles.repository.ts';
import { contentOf, diffContents } from './articles.revisions.ts';
import type {
  ArticleBlockInput,
  ArticleResponse,
  ArticleSummaryResponse,
  CreateArticleInput,
  GetPublicArticleInput,
  ListArticlesInput,
  ListPublicArticlesInput,
  PreviewLinkResponse,
  PublicArticleResponse,
  PublishArticleInput,
  RevisionContent,
  RevisionDiffResponse,
  RevisionResponse,
  RevisionSummaryResponse,
  UpdateArticleInput,
} from './articles.schemas.ts';

export interface ArticlesDeps {
  repo: ArticlesRepository;
  rubrics: Pick<RubricsService, 'exists' | 'findActiveIdBySlug'>;
  tags: Pick<TagsService, 'missingIds' | 'findIdBySlug'>;
  users: Pick<UsersService, 'missingIds'>;
  media: Pick<MediaService, 'kindsOf'>;
  feed: Pick<FeedService, 'putArticleInFeed' | 'takeArticleOutOfFeed'>;
  /** Rewrites an article's search index entry in the transaction that changed the article. */
  searchIndex: Pick<SearchIndexer, 'reindexArticle'>;
  /** Records the webhook event of each change in the transaction that makes it. */
  events: EventRecorder;
  previews: PreviewTokens;
  now: () => Date;
  /** The schema.org description of an article page (built by the syndication module from the site's settings). */
  jsonLdOf: (article: PublicArticleResponse) => NewsArticleJsonLd;
}

/** The version a write must find (from If-Match); null for `If-Match: *` or a caller inside the app. */
type ExpectedVersion = number | null;

/** What a link to a public article (a sitemap entry) needs. */
export interface PublicArticleLink {
  id: string;
  slug: string;
  title: string;
  publishedAt: string;
  updatedAt: string;
}

const toLink = (row: { id: string; slug: string; title: string; publishedAt: Date | null; updatedAt: Date }): PublicArticleLink => ({
  id: row.id,
  slug: row.slug,
  title: row.title,
  publishedAt: (row.publishedAt ?? row.updatedAt).toISOString(),
  updatedAt: row.updatedAt.toISOString(),
});

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

/** How many related articles an article page gets. */
const RELATED_MAX = 6;

const toDate = (iso: string | null | undefined) => (iso ? new Date(iso) : null);

const inTrash = () => new ConflictError('The article is in the trash; restore it first.', 'article_in_trash');

const isRevisionKey = (values: unknown[]): values is [number] => values.length === 1 && Number.isInteger(values[0]);

/** A published or scheduled article has a feed item (unless it opts out) that follows its headline and rubric. */
const isOnTheWay = (status: string) => status === 'published' || status === 'scheduled';

export function createArticlesService(deps: ArticlesDeps) {
  const { repo, now } = deps;

  async function findOrThrow(id: string, actor: Actor): Promise<ArticleRow> {
    // A scheduled article whose time has come is shown as published (public reads never wait for this).
    await repo.promoteDue(now());
    const row = await repo.findVisible(id, visibleTo(actor));
    if (!row) throw new NotFoundError('article');
    return row;
  }

  async function reload(id: string): Promise<ArticleResponse> {
    const row = await repo.findVisible(id, {});
    if (!row) throw new NotFoundError('article');
    return toArticleResponse(row);
  }

  /** The article the caller is about to change: visible to them, at the version they name, not in the trash. */
  async function loadForChange(
    id: string,
    actor: Actor,
    expectedVersion: ExpectedVersion,
    { isInTrashExpected = false } = {},
  ): Promise<ArticleRow> {
    const current = await findOrThrow(id, actor);
    if (expectedVersion !== null && current.version !== expectedVersion) throw new PreconditionFailedError(toArticleResponse(current));
    if (!isInTrashExpected && current.deletedAt) throw inTrash();
    return current;
  }

  // A conditional write that matched nothing: another request changed the article in between.
  async function failAfterRace(id: string, action?: WorkflowAction): Promise<never> {
    const row = await repo.findVisible(id, {});
    if (!row) throw new NotFoundError('article');
    if (action && !row.deletedAt) assertTransition(action, row.status);
    throw new PreconditionFailedError(toArticleResponse(row));
  }

  /** Stores the article's content as saved by this transaction, numbered with its new version. */
  async function addRevision(tx: PrismaTx, id: string, actor: Actor, at: Date): Promise<void> {
    const row = await repo.findInTx(tx, id);
    if (row) await repo.addRevision(tx, { articleId: id, number: row.version, actor: actorLabel(actor), content: contentOf(row), at });
  }

  /** The webhook event of a change, in its transaction: `version` is the article's version after it. */
  function recordEvent(
    tx: PrismaTx,
    type: DomainEventType,
    actor: Actor,
    article: { id: string; slug: string; version: number; rubricId: string | null },
    details?: Record<string, unknown>,
  ): Promise<void> {
    return deps.events.record(tx, { type, entity: article, actor: actorLabel(actor), ...(details ? { details } : {}) });
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
    input.authorIds?.forEach(
      (id, i) => missingUsers.includes(id) && errors.push({ field: `body.authorIds.${i}`, message: 'No user has this id' }),
    );
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
          errors.push({
            field: `body.keyPoints.${i}`,
            message: 'Must be copied verbatim from a paragraph, heading, quote or list of the body',
          });
        }
      });
    }
    return errors;
  }

  function throwIfAny(errors: FieldError[]): void {
    if (errors.length)
      throw new ValidationError(`The article is not valid: ${errors.length === 1 ? 'one field' : `${errors.length} fields`}.`, errors);
  }

  /**
   * Moves the article along the workflow: checks the caller's version and the state the action starts
   * from, then writes the new state only if neither changed meanwhile, with the feed in the same transaction.
   */
  async function act(
    id: string,
    actor: Actor,
    expectedVersion: ExpectedVersion,
    action: WorkflowAction,
    next: (
      current: ArticleRow,
      at: Date,
    ) => { status: ArticleRow['status']; publishedAt?: Date | null; feed?: (tx: PrismaTx) => Promise<void> },
  ): Promise<ArticleResponse> {
    const current = await loadForChange(id, actor, expectedVersion);
    assertTransition(action, current.status);
    const at = now();
    const { feed, ...state } = next(current, at);
    const isDone = await repo.inTransaction(async (tx) => {
      const isWritten = await repo.updateIf(
        tx,
        id,
        { expectedVersion: expectedVersion ?? current.version, where: { deletedAt: null, status: { in: statusesAllowing(action) } } },
        { ...state, updatedAt: at },
      );
      if (isWritten && feed) await feed(tx);
      if (isWritten) await deps.searchIndex.reindexArticle(tx, id);
      if (isWritten) {
        const type: DomainEventType =
          action === 'publish'
            ? state.status === 'scheduled'
              ? 'article.scheduled'
              : 'article.published'
            : action === 'unpublish' || action === 'archive'
              ? 'article.unpublished'
              : 'article.updated';
        const publishedAt = action === 'publish' ? { publishedAt: state.publishedAt?.toISOString() ?? null } : undefined;
        await recordEvent(
          tx,
          type,
          actor,
          { id, slug: current.slug, version: (expectedVersion ?? current.version) + 1, rubricId: current.rubricId },
          publishedAt,
        );
      }
      return isWritten;
    });
    deps.events.committed();
    if (!isDone) await failAfterRace(id, action);
    return reload(id);
  }

  const takeOutOfFeed = (id: string) => (tx: PrismaTx) => deps.feed.takeArticleOutOfFeed(tx, id);

  const service = {
    async list(query: ListArticlesInput, actor: Actor): Promise<Page<ArticleResponse>> {
      const key = query.cursor ? decodeCursor(query.cursor, isDateIdKey) : undefined;
      await repo.promoteDue(now());
      const rows = await repo.list(
        query.limit + 1,
        {
          visible: visibleTo(actor),
          status: query.status,
          rubricId: query.rubricId,
          authorId: query.authorId,
          text: query.q ? foldForSearch(query.q) : undefined,
          inTrash: query.inTrash,
        },
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
        embargoUntil: toDate(input.embargoUntil),
        searchText: searchTextOf(input.title, lead, input.body),
      };
      const at = now();
      const id = await repo.inTransaction(async (tx) => {
        const createdId = await repo.create(
          tx,
          { ...data, createdById: userIdOf(actor), at },
          { authorIds, tagIds: input.tagIds ?? [], bodyMediaIds: imageIdsOf(input.body) },
        );
        await addRevision(tx, createdId, actor, at);
        await recordEvent(tx, 'article.created', actor, { id: createdId, slug, version: 1, rubricId: data.rubricId });
        return createdId;
      });
      deps.events.committed();
      return reload(id);
    },

    /** Saves the changes if the article is still at `expectedVersion`, and keeps the saved content as a revision. */
    async update(id: string, input: UpdateArticleInput, actor: Actor, expectedVersion: ExpectedVersion = null): Promise<ArticleResponse> {
      const current = await loadForChange(id, actor, expectedVersion);
      assertMayChange(actor, current, 'edit');
      const body = input.body ?? (current.body as ArticleBlockInput[]);
      const keyPoints = input.keyPoints ?? (current.keyPoints as string[]);
      throwIfAny(await fieldErrors(input, { body, keyPoints }, actor));
      const slugChanges = input.slug !== undefined && input.slug !== current.slug;
      const slug = slugChanges
        ? await resolveSlug({ given: input.slug, source: current.title, isTaken: (s) => repo.isSlugTaken(s, id) })
        : current.slug;

      const title = input.title ?? current.title;
      const lead = input.lead === undefined ? current.lead : input.lead;
      const rubricId = input.rubricId === undefined ? current.rubricId : input.rubricId;
      const showInFeed = input.showInFeed ?? current.showInFeed;
      const at = now();
      const isDone = await repo.inTransaction(async (tx) => {
        const isWritten = await repo.updateIf(
          tx,
          id,
          // An author's save also needs the article to still be a draft, as it was when checked.
          {
            expectedVersion: expectedVersion ?? current.version,
            where: { deletedAt: null, ...(mustStayOnByline(actor) ? { status: 'draft' as const } : {}) },
          },
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
            ...(input.embargoUntil !== undefined ? { embargoUntil: toDate(input.embargoUntil) } : {}),
            showInFeed,
            searchText: searchTextOf(title, lead, body),
            updatedAt: at,
          },
          { authorIds: input.authorIds, tagIds: input.tagIds, bodyMediaIds: input.body ? imageIdsOf(input.body) : undefined },
        );
        if (!isWritten) return false;
        if (slugChanges) await repo.recordSlugChange(tx, id, current.slug, slug, at);
        // A published or scheduled article's feed item follows its showInFeed, headline and rubric.
        if (isOnTheWay(current.status) && current.publishedAt) {
          if (!showInFeed && current.showInFeed) await deps.feed.takeArticleOutOfFeed(tx, id);
          const feedShowsOld = title !== current.title || rubricId !== current.rubricId;
          if (showInFeed && (!current.showInFeed || feedShowsOld)) {
            await deps.feed.putArticleInFeed(tx, { id, title, rubricId, publishedAt: current.publishedAt });
          }
        }
        await deps.searchIndex.reindexArticle(tx, id);
        await addRevision(tx, id, actor, at);
        await recordEvent(tx, 'article.updated', actor, { id, slug, version: (expectedVersion ?? current.version) + 1, rubricId });
        return true;
      });
      deps.events.committed();
      if (!isDone) await failAfterRace(id);
      return reload(id);
    },

    /** Moves the article to the trash: out of the public API and the feed, restorable until an admin empties the trash. */
    async delete(id: string, actor: Actor, expectedVersion: ExpectedVersion = null): Promise<void> {
      const current = await loadForChange(id, actor, expectedVersion);
      assertMayChange(actor, current, 'delete');
      const at = now();
      const isDone = await repo.inTransaction(async (tx) => {
        const isWritten = await repo.updateIf(
          tx,
          id,
          { expectedVersion: expectedVersion ?? current.version, where: { deletedAt: null } },
          { deletedAt: at, updatedAt: at },
        );
        if (isWritten) {
          await deps.feed.takeArticleOutOfFeed(tx, id);
          await deps.searchIndex.reindexArticle(tx, id);
          await recordEvent(tx, 'article.deleted', actor, {
            id,
            slug: current.slug,
            version: (expectedVersion ?? current.version) + 1,
            rubricId: current.rubricId,
          });
        }
        return isWritten;
      });
      deps.events.committed();
      if (!isDone) await failAfterRace(id);
    },

    /** Brings an article back from the trash as a draft: it was taken down, so it goes public again only when published again. */
    async restore(id: string, actor: Actor, expectedVersion: ExpectedVersion = null): Promise<ArticleResponse> {
      const current = await loadForChange(id, actor, expectedVersion, { isInTrashExpected: true });
      if (!current.deletedAt) throw new ConflictError('The article is not in the trash.', 'article_not_in_trash');
      assertMayChange(actor, current, 'restore');
      const at = now();
      const isDone = await repo.inTransaction(async (tx) => {
        const isWritten = await repo.updateIf(
          tx,
          id,
          { expectedVersion: expectedVersion ?? current.version, where: { deletedAt: { not: null } } },
          { deletedAt: null, status: 'draft', publishedAt: null, updatedAt: at },
        );
        if (isWritten)
          await recordEvent(tx, 'article.updated', actor, {
            id,
            slug: current.slug,
            version: (expectedVersion ?? current.version) + 1,
            rubricId: current.rubricId,
          });
        return isWritten;
      });
      deps.events.committed();
      if (!isDone) await failAfterRace(id);
      return reload(id);
    },

    /** Deletes every article in the trash for good. */
    async emptyTrash(): Promise<{ deleted: number }> {
      return { deleted: await repo.emptyTrash() };
    },

    submit: (id: string, actor: Actor, expectedVersion: ExpectedVersion = null) =>
      act(id, actor, expectedVersion, 'submit', () => ({ status: 'in_review' })),

    reject: (id: string, actor: Actor, expectedVersion: ExpectedVersion = null) =>
      act(id, actor, expectedVersion, 'reject', () => ({ status: 'draft' })),

    /**
     * Publishes now, or schedules for a future `publishAt`. A scheduled article's feed item is written now
     * with that time; public reads show both from that moment on, whatever happens in between.
     */
    async publish(
      id: string,
      actor: Actor,
      options: PublishArticleInput & { expectedVersion?: ExpectedVersion } = {},
    ): Promise<ArticleResponse> {
      return act(id, actor, options.expectedVersion ?? null, 'publish', (current, at) => {
        const publishAt = toDate(options.publishAt);
        const isScheduled = publishAt !== null && publishAt > at;
        const publishedAt = isScheduled ? publishAt : at;
        return {
          status: isScheduled ? 'scheduled' : 'published',
          publishedAt,
          feed: current.showInFeed
            ? (tx) => deps.feed.putArticleInFeed(tx, { id, title: current.title, rubricId: current.rubricId, publishedAt })
            : undefined,
        };
      });
    },

    /** Back to a draft, out of the public API and the feed. */
    unpublish: (id: string, actor: Actor, expectedVersion: ExpectedVersion = null) =>
      act(id, actor, expectedVersion, 'unpublish', () => ({ status: 'draft', publishedAt: null, feed: takeOutOfFeed(id) })),

    /** Taken down but kept as it was published; publishing it again brings it back. */
    archive: (id: string, actor: Actor, expectedVersion: ExpectedVersion = null) =>
      act(id, actor, expectedVersion, 'archive', () => ({ status: 'archived', feed: takeOutOfFeed(id) })),

    async listRevisions(
      id: string,
      query: { limit: number; cursor?: string | undefined },
      actor: Actor,
    ): Promise<Page<RevisionSummaryResponse>> {
      const key = query.cursor ? decodeCursor(query.cursor, isRevisionKey) : undefined;
      await findOrThrow(id, actor);
      const rows = await repo.listRevisions(id, query.limit + 1, key?.[0]);
      return toPage(
        rows,
        query.limit,
        (r) => ({ ...r, createdAt: r.createdAt.toISOString() }),
        (r) => [r.number],
      );
    },

    async getRevision(id: string, revisionId: string, actor: Actor): Promise<RevisionResponse> {
      await findOrThrow(id, actor);
      const row = await repo.findRevision(id, revisionId);
      if (!row) throw new NotFoundError('revision');
      return {
        id: row.id,
        number: row.number,
        actor: row.actor,
        createdAt: row.createdAt.toISOString(),
        content: row.content as RevisionContent,
      };
    },

    /** What changed from one revision to another (the newest when `toId` is left out). */
    async diffRevisions(id: string, fromId: string, toId: string | undefined, actor: Actor): Promise<RevisionDiffResponse> {
      await findOrThrow(id, actor);
      const [from, to] = await Promise.all([
        repo.findRevision(id, fromId),
        toId ? repo.findRevision(id, toId) : repo.findLatestRevision(id),
      ]);
      if (!from || !to) throw new NotFoundError('revision');
      return {
        from: { id: from.id, number: from.number },
        to: { id: to.id, number: to.number },
        ...diffContents(from.content as RevisionContent, to.content as RevisionContent),
      };
    },

    /** Saves a revision's content as the article's current content: a new revision, the history kept whole. */
    async restoreRevision(id: string, revisionId: string, actor: Actor, expectedVersion: ExpectedVersion = null): Promise<ArticleResponse> {
      await findOrThrow(id, actor);
      const revision = await repo.findRevision(id, revisionId);
      if (!revision) throw new NotFoundError('revision');
      return service.update(id, revision.content as RevisionContent, actor, expectedVersion);
    },

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
      const [rubricId, tagId] = await Promise.all([
        query.rubric ? deps.rubrics.findActiveIdBySlug(query.rubric) : undefined,
        query.tag ? deps.tags.findIdBySlug(query.tag) : undefined,
      ]);
      // A slug that names nothing filters everything out.
      if (rubricId === null || tagId === null) return { items: [], nextCursor: null };
      const include = new Set(query.include ?? allIncludes);
      const rows = await repo.listPublished(
        query.limit + 1,
        now(),
        {
          rubricId,
          tagId,
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
      const row = await repo.findPublishedBySlug(slug, at, wantsJsonLd ? new Set([...include, ...allIncludes]) : include);
      if (row) {
        const related =
          include.has('related') && (!query.fields || query.fields.includes('related'))
            ? { related: (await repo.listRelated(row, at, RELATED_MAX)).map((r) => toArticleSummary(r)) }
            : {};
        const jsonLd = wantsJsonLd ? { jsonLd: deps.jsonLdOf(toPublicArticle(row)) } : {};
        return { article: pickFields({ ...toPublicArticle(row, include), ...related, ...jsonLd }, query.fields) };
      }
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
  return service;
}

export type ArticlesService = ReturnType<typeof createArticlesService>;

import type { PrismaTx } from '../../db/database.ts';
import { ConflictError, NotFoundError, PreconditionFailedError, ValidationError, type FieldError } from '../../errors.ts';
import { actorLabel } from '../../shared/actor-label.ts';
import type { Actor } from '../../shared/actor.ts';
import { decodeCursor, isDateIdKey, toPage, type Page } from '../../shared/cursor.ts';
import type { DomainEventType, EventRecorder } from '../../shared/domain-events.ts';
import {
  adMarkingInputOf,
  adMarkingOf,
  assertInnValid,
  requireAdMarking,
  toAdColumns,
  withErid,
  type AdMarkingInput,
} from '../../shared/ad-marking.ts';
import { noAdPlacementTracker, type AdPlacementTracker } from '../../shared/ad-placements.ts';
import { toFeedItemResponse, toPublicFeedItemResponse } from './feed.mapper.ts';
import type { FeedItemRow, FeedRepository, PublicFeedKey } from './feed.repository.ts';
import type {
  CreateFeedItemInput,
  FeedItemResponse,
  ListFeedItemsInput,
  PublicFeedInput,
  PublicFeedItemResponse,
  UpdateFeedItemInput,
} from './feed.schemas.ts';

const isPublicFeedKey = (v: unknown[]): v is PublicFeedKey => v.length === 3 && typeof v[0] === 'boolean' && isDateIdKey(v.slice(1));

const toDate = (iso: string | null | undefined) => (iso === undefined ? undefined : iso === null ? null : new Date(iso));

/** The article fields the feed shows for a published article. */
export interface ArticleForFeed {
  id: string;
  title: string;
  rubricId: string | null;
  publishedAt: Date;
}

export interface FeedServiceDeps {
  repo: FeedRepository;
  now: () => Date;
  /** Where each change's webhook event is recorded, in the change's transaction. */
  events: EventRecorder;
  /** Records when promo slots are public, for the ads report, in the change's transaction. */
  ads?: AdPlacementTracker;
}

export function createFeedService({ repo, now, events, ads = noAdPlacementTracker }: FeedServiceDeps) {
  // The webhook event of a write and the promo's time in public, recorded in its transaction.
  const recordEvent = (type: DomainEventType, actor: Actor | undefined) => async (tx: PrismaTx, row: FeedItemRow) => {
    await events.record(tx, {
      type,
      entity: { id: row.id, slug: null, version: row.version, rubricId: row.rubricId },
      actor: actor ? actorLabel(actor) : 'system',
    });
    if (row.kind === 'promo') await ads.sync(tx, placementOf(row, type !== 'feed_item.deleted'));
  };

  /** A promo slot as the ads report sees it: public from its window's start (or now) to its end, until deleted. */
  function placementOf(row: FeedItemRow, isPresent: boolean) {
    const marking = adMarkingOf(row);
    return {
      subjectType: 'feed_item' as const,
      subjectId: row.id,
      marking,
      title: row.headline,
      link: { type: 'url' as const, url: row.url && marking ? withErid(row.url, marking.erid) : (row.url ?? '') },
      window: isPresent ? { from: row.visibleFrom ?? now(), until: row.visibleUntil } : null,
    };
  }

  /** A promo item's marking must be whole; any other item takes none. */
  function markingErrors(kind: string, marking: AdMarkingInput | null | undefined, isGiven: boolean): FieldError[] {
    assertInnValid(marking, 'body.adMarking');
    if (kind === 'promo') {
      requireAdMarking(marking, 'body.adMarking', 'A promo item');
      return [];
    }
    return isGiven && marking ? [{ field: 'body.adMarking', message: 'Only a promo item carries an ad marking' }] : [];
  }

  async function findOrThrow(id: string): Promise<FeedItemRow> {
    const row = await repo.findById(id);
    if (!row) throw new NotFoundError('feed item');
    return row;
  }

  // A conditional write that changed nothing: the item is gone (404) or at another version (412).
  async function failConditionalWrite(id: string): Promise<never> {
    throw new PreconditionFailedError(toFeedItemResponse(await findOrThrow(id)));
  }

  function windowErrors(visibleFrom: Date | null | undefined, visibleUntil: Date | null | undefined): FieldError[] {
    return visibleFrom && visibleUntil && visibleUntil <= visibleFrom
      ? [{ field: 'body.visibleUntil', message: 'Must be after visibleFrom' }]
      : [];
  }

  async function rubricErrors(rubricId: string | null | undefined): Promise<FieldError[]> {
    return rubricId && !(await repo.rubricExists(rubricId)) ? [{ field: 'body.rubricId', message: 'No rubric has this id' }] : [];
  }

  function throwIfAny(errors: FieldError[]): void {
    if (errors.length)
      throw new ValidationError(`The feed item is not valid: ${errors.length === 1 ? 'one field' : `${errors.length} fields`}.`, errors);
  }

  return {
    async list(query: ListFeedItemsInput): Promise<Page<FeedItemResponse>> {
      const key = query.cursor ? decodeCursor(query.cursor, isDateIdKey) : undefined;
      const rows = await repo.list(query.limit + 1, query.kind, key);
      return toPage(rows, query.limit, toFeedItemResponse, (r) => [r.publishedAt.toISOString(), r.id]);
    },

    /** When an item next enters or leaves the public feed by the clock alone, after `at`; null for none. */
    nextPublicChangeAfter: (at: Date): Promise<Date | null> => repo.nextWindowChange(at),

    async listPublic(query: PublicFeedInput): Promise<Page<PublicFeedItemResponse>> {
      const key = query.cursor ? decodeCursor(query.cursor, isPublicFeedKey) : undefined;
      const withCommentCount = query.include === 'commentCount';
      const rows = await repo.listVisible(query.limit + 1, now(), query.rubric, key, withCommentCount);
      return toPage(
        rows,
        query.limit,
        (row) => toPublicFeedItemResponse(row, { withCommentCount }),
        (r) => [r.isPinned, r.publishedAt.toISOString(), r.id],
      );
    },

    async get(id: string): Promise<FeedItemResponse> {
      return toFeedItemResponse(await findOrThrow(id));
    },

    async create(input: CreateFeedItemInput, actor?: Actor): Promise<FeedItemResponse> {
      const isArticle = input.kind === 'article';
      // A live item links a live blog (format `live`) or a stream URL.
      const isLiveBlog = input.kind === 'live' && !!input.articleId;
      const visibleFrom = toDate(input.visibleFrom) ?? null;
      const visibleUntil = toDate(input.visibleUntil) ?? null;
      const errors: FieldError[] = [];
      if (isArticle) {
        if (!input.articleId) errors.push({ field: 'body.articleId', message: 'Required for an article item' });
        if (input.url) errors.push({ field: 'body.url', message: 'An article item has no url: it links its article' });
      } else if (!isLiveBlog) {
        if (!input.url) errors.push({ field: 'body.url', message: `Required for a ${input.kind} item` });
        if (input.articleId) errors.push({ field: 'body.articleId', message: 'Only an article or a live item links an article' });
      }
      errors.push(...windowErrors(visibleFrom, visibleUntil), ...(await rubricErrors(input.rubricId)));
      errors.push(...markingErrors(input.kind, input.adMarking, input.adMarking !== undefined));
      const article = (isArticle || isLiveBlog) && input.articleId ? await repo.findArticle(input.articleId) : null;
      if (isArticle && input.articleId && article?.status !== 'published') {
        errors.push({ field: 'body.articleId', message: 'No published article has this id' });
      }
      if (isLiveBlog && (article?.format !== 'live' || article.deletedAt)) {
        errors.push({ field: 'body.articleId', message: 'No live blog (an article of format `live`) has this id' });
      }
      throwIfAny(errors);
      if (article && (await repo.hasItemForArticle(article.id))) {
        throw new ConflictError('The article already has a feed item; change that one instead.', 'article_in_feed', {
          articleId: article.id,
        });
      }
      const at = now();
      const row = await repo.create(
        {
          kind: input.kind,
          headline: input.headline,
          // An article item goes under its article's rubric unless told otherwise.
          rubricId: input.rubricId !== undefined ? input.rubricId : (article?.rubricId ?? null),
          articleId: article?.id ?? null,
          url: isArticle ? null : (input.url ?? null),
          isPinned: input.isPinned ?? false,
          publishedAt: toDate(input.publishedAt) ?? at,
          visibleFrom,
          visibleUntil,
          adErid: null,
          adAdvertiserName: null,
          adAdvertiserInn: null,
          adAdvertiserUrl: null,
          ...(input.kind === 'promo' && input.adMarking ? toAdColumns(input.adMarking) : {}),
          createdAt: at,
          updatedAt: at,
        },
        recordEvent('feed_item.created', actor),
      );
      events.committed();
      return toFeedItemResponse(row);
    },

    /** Changes the item if it is still at `expectedVersion` (null: whatever its version). */
    async update(id: string, input: UpdateFeedItemInput, expectedVersion: number | null = null, actor?: Actor): Promise<FeedItemResponse> {
      const current = await findOrThrow(id);
      if (expectedVersion !== null && current.version !== expectedVersion) throw new PreconditionFailedError(toFeedItemResponse(current));
      const visibleFrom = toDate(input.visibleFrom);
      const visibleUntil = toDate(input.visibleUntil);
      const errors: FieldError[] = [];
      if (current.kind === 'article' && input.url)
        errors.push({ field: 'body.url', message: 'An article item has no url: it links its article' });
      if (current.kind !== 'article' && !current.articleId && input.url === null)
        errors.push({ field: 'body.url', message: `Required for a ${current.kind} item` });
      errors.push(
        ...windowErrors(
          visibleFrom === undefined ? current.visibleFrom : visibleFrom,
          visibleUntil === undefined ? current.visibleUntil : visibleUntil,
        ),
        ...(await rubricErrors(input.rubricId)),
      );
      // The marking as it will be: the parts sent over the parts kept.
      const marking = input.adMarking === null ? null : { ...adMarkingInputOf(current), ...input.adMarking };
      errors.push(...markingErrors(current.kind, marking, input.adMarking !== undefined));
      throwIfAny(errors);
      const isUpdated = await repo.updateAtVersion(
        id,
        expectedVersion,
        {
          headline: input.headline,
          rubricId: input.rubricId,
          url: input.url,
          isPinned: input.isPinned,
          publishedAt: toDate(input.publishedAt) ?? undefined,
          visibleFrom,
          visibleUntil,
          ...(input.adMarking !== undefined ? toAdColumns(input.adMarking) : {}),
          updatedAt: now(),
        },
        recordEvent('feed_item.updated', actor),
      );
      if (!isUpdated) await failConditionalWrite(id);
      events.committed();
      return toFeedItemResponse(await findOrThrow(id));
    },

    async delete(id: string, expectedVersion: number | null = null, actor?: Actor): Promise<void> {
      if (!(await repo.deleteAtVersion(id, expectedVersion, recordEvent('feed_item.deleted', actor)))) await failConditionalWrite(id);
      events.committed();
    },

    /**
     * Puts a just-published article in the feed, in the caller's transaction. On a re-publish the item
     * takes the article's new title, rubric and time, and keeps its pin and visibility window.
     */
    async putArticleInFeed(tx: PrismaTx, article: ArticleForFeed): Promise<void> {
      await repo.upsertForArticle(tx, article, now());
    },

    /** Takes an unpublished or deleted article out of the feed, in the caller's transaction; nothing to do when it is not there. */
    async takeArticleOutOfFeed(tx: PrismaTx, articleId: string): Promise<void> {
      await repo.deleteForArticle(tx, articleId);
    },
  };
}

export type FeedService = ReturnType<typeof createFeedService>;

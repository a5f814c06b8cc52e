import type { PrismaNamespace, PrismaTx } from '../../db/database.ts';
import { ConflictError, NotFoundError, PreconditionFailedError, ValidationError, type FieldError } from '../../errors.ts';
import type { ArticleBlockInput } from '../../shared/article-blocks.schemas.ts';
import { quotableTextsOf } from '../../shared/article-text.ts';
import { actorLabel } from '../../shared/actor-label.ts';
import type { Actor } from '../../shared/actor.ts';
import type { AuditTrail } from '../../shared/audit-intent.ts';
import { adMarkingOf } from '../../shared/ad-marking.ts';
import type { AdPlacementTracker } from '../../shared/ad-placements.ts';
import { keysOfArticleChange, notePurge, type ArticlePlacement } from '../../shared/cache-keys.ts';
import type { DomainEventType, EventRecorder } from '../../shared/domain-events.ts';
import type { NewsArticleJsonLd } from '../../shared/news-article-json-ld.schemas.ts';
import type { SearchIndexer } from '../../shared/search-indexer.ts';
import type { FeedService } from '../feed/index.ts';
import type { MediaKind, MediaService } from '../media/index.ts';
import type { RubricsService } from '../rubrics/index.ts';
import type { TagsService } from '../tags/index.ts';
import type { UsersService } from '../users/index.ts';
import { toArticleResponse } from './articles.mapper.ts';
import { assertTransition, mustStayOnByline, visibleTo, type WorkflowAction } from './articles.policy.ts';
import type { PreviewTokens } from './articles.preview.ts';
import type { PublicArticleResponse } from './articles.public.schemas.ts';
import type { ArticleRelations, ArticleRow, ArticlesRepository } from './articles.repository.ts';
import type { CorrectionsRepository } from './articles.corrections.repository.ts';
import { contentOf } from './articles.revisions.ts';
import type { ArticleResponse, UpdateArticleInput } from './articles.schemas.ts';

// What the operation families of the articles service (articles.*-reads.ts, .writes.ts, .workflow.ts) share.

export interface ArticlesDeps {
  repo: ArticlesRepository;
  corrections: CorrectionsRepository;
  rubrics: Pick<RubricsService, 'exists' | 'findActiveIdBySlug' | 'slugsWithAncestors' | 'takesCommentsByDefault'>;
  tags: Pick<TagsService, 'missingIds' | 'findIdBySlug' | 'slugsOf'>;
  users: Pick<UsersService, 'missingIds' | 'slugsOf'>;
  media: Pick<MediaService, 'kindsOf'>;
  feed: Pick<FeedService, 'putArticleInFeed' | 'takeArticleOutOfFeed'>;
  /** Rewrites an article's search index entry in the transaction that changed the article. */
  searchIndex: Pick<SearchIndexer, 'reindexArticle'>;
  /** Records the webhook event of each change in the transaction that makes it (and the request's audit entry). */
  events: EventRecorder;
  /** Writes the request's audit entry in the transaction of a change that has no webhook event (emptying the trash). */
  audit: AuditTrail;
  previews: PreviewTokens;
  /** Records when sponsored articles are public, for the ads report, in the change's transaction. */
  ads: AdPlacementTracker;
  now: () => Date;
  /** The schema.org description of an article page (built by the syndication module from the site's settings). */
  jsonLdOf: (article: PublicArticleResponse) => NewsArticleJsonLd;
}

/** The version a write must find (from If-Match); null for `If-Match: *` or a caller inside the app. */
export type ExpectedVersion = number | null;

/** Columns an internal caller writes along with a save or a workflow step, from the row as checked (an import's version marks). */
export type AlsoWrite = (current: ArticleRow) => PrismaNamespace.ArticleUncheckedUpdateManyInput;

/** A change to an article the caller has checked, and what goes with it. */
export interface CheckedChange {
  /** What the article must still be as well as at its version: the state the checks were made on. */
  where: PrismaNamespace.ArticleWhereInput;
  data: PrismaNamespace.ArticleUncheckedUpdateManyInput;
  relations?: ArticleRelations;
  /** Runs after the write, in its transaction (the feed, the search index, the revision). */
  alongside?: (tx: PrismaTx) => Promise<void>;
  event: DomainEventType;
  /** The slug and rubric the event names, when the change sets new ones. */
  entity?: { slug: string; rubricId: string | null };
  details?: Record<string, unknown>;
  /** The workflow step, for the 409 of a transition another request made impossible meanwhile. */
  action?: WorkflowAction;
}

/** What decides where an article shows publicly: its state, rubric, tags, authors and feed choice. */
export interface PublicState {
  status: ArticleRow['status'];
  publishedAt: Date | null;
  deletedAt: Date | null;
  rubricId: string | null;
  tagIds: readonly string[];
  authorIds: readonly string[];
  showInFeed: boolean;
}

export const publicStateOf = (row: ArticleRow): PublicState => ({
  status: row.status,
  publishedAt: row.publishedAt,
  deletedAt: row.deletedAt,
  rubricId: row.rubricId,
  tagIds: row.tags.map((t) => t.tagId),
  authorIds: row.authors.map((a) => a.userId),
  showInFeed: row.showInFeed,
});

/** The state a checked change leaves: its data and relations over the current row (the writes set plain values). */
function publicStateAfter(current: ArticleRow, change: Pick<CheckedChange, 'data' | 'relations'>): PublicState {
  const before = publicStateOf(current);
  const data = change.data as Partial<Record<keyof PublicState, unknown>>;
  const field = <K extends keyof PublicState>(name: K): PublicState[K] =>
    data[name] === undefined ? before[name] : (data[name] as PublicState[K]);
  return {
    status: field('status'),
    publishedAt: field('publishedAt'),
    deletedAt: field('deletedAt'),
    rubricId: field('rubricId'),
    tagIds: change.relations?.tagIds ?? before.tagIds,
    authorIds: change.relations?.authorIds ?? before.authorIds,
    showInFeed: field('showInFeed'),
  };
}

// Published or scheduled, not in the trash: public now or at its time (an embargo only delays it).
const isPublicBound = (state: PublicState) =>
  (state.status === 'published' || state.status === 'scheduled') && state.publishedAt !== null && state.deletedAt === null;

export const toDate = (iso: string | null | undefined) => (iso ? new Date(iso) : null);

export const inTrash = () => new ConflictError('The article is in the trash; restore it first.', 'article_in_trash');

export const imageIdsOf = (body: ArticleBlockInput[]) => [...new Set(body.flatMap((b) => (b.type === 'image' ? [b.mediaId] : [])))];

export function createArticleContext(deps: ArticlesDeps) {
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

  /**
   * Which public answers a change of the article alters (none unless it is public or scheduled before or
   * after). Looks slugs up only when it matters.
   */
  async function keysOfChange(id: string, before: PublicState | null, after: PublicState | null): Promise<string[]> {
    const shown = [before, after].filter((state): state is PublicState => state !== null && isPublicBound(state));
    if (!shown.length) return [];
    const ids = (pick: (state: PublicState) => readonly (string | null)[]) =>
      [...new Set(shown.flatMap(pick))].filter((value): value is string => value !== null);
    const [rubricSlugs, tagSlugs, authorSlugs] = await Promise.all([
      deps.rubrics.slugsWithAncestors(ids((s) => [s.rubricId])),
      deps.tags.slugsOf(ids((s) => s.tagIds)),
      deps.users.slugsOf(ids((s) => s.authorIds)),
    ]);
    const slugsOf = (found: Map<string, string>, of: readonly string[]) => of.flatMap((key) => found.get(key) ?? []);
    const placementOf = (state: PublicState | null): ArticlePlacement | null =>
      state && isPublicBound(state)
        ? {
            isPublicBound: true,
            rubricSlugs: state.rubricId ? (rubricSlugs.get(state.rubricId) ?? []) : [],
            tagSlugs: slugsOf(tagSlugs, state.tagIds),
            authorSlugs: slugsOf(authorSlugs, state.authorIds),
            isInFeed: state.showInFeed,
          }
        : null;
    return keysOfArticleChange(id, placementOf(before), placementOf(after));
  }

  /** Notes for the purge stage the keys a change of the article alters, and returns them, for its webhook event. */
  async function notePublicChange(id: string, before: PublicState | null, after: PublicState | null): Promise<readonly string[]> {
    return notePurge(await keysOfChange(id, before, after));
  }

  /**
   * The keys of the public answers that show the article as it is now, for a change made outside a request
   * (a generated narration): what a public save of it purges; none while it is not public.
   */
  async function publicKeysOf(id: string): Promise<string[]> {
    const row = await repo.findVisible(id, {});
    if (!row) return [];
    const state = publicStateOf(row);
    return keysOfChange(id, state, state);
  }

  /** Stores the article's content as saved by this transaction, numbered with its new version. */
  async function addRevision(tx: PrismaTx, id: string, actor: Actor, at: Date): Promise<void> {
    const row = await repo.findInTx(tx, id);
    if (row) await repo.addRevision(tx, { articleId: id, number: row.version, actor: actorLabel(actor), content: contentOf(row), at });
  }

  /**
   * Keeps a sponsored article's ad placement in step with the change its transaction made (public from its
   * publication or embargo's end, until taken down); `wasSponsored` ends the placement of one no longer sponsored.
   */
  async function syncAdPlacement(tx: PrismaTx, id: string, wasSponsored: boolean): Promise<void> {
    const row = await repo.findInTx(tx, id);
    if (!row || !(row.isSponsored || wasSponsored)) return;
    const isOnTheWay = (row.status === 'published' || row.status === 'scheduled') && !row.deletedAt && row.publishedAt;
    const from = row.publishedAt && row.embargoUntil && row.embargoUntil > row.publishedAt ? row.embargoUntil : row.publishedAt;
    await deps.ads.sync(tx, {
      subjectType: 'article',
      subjectId: id,
      marking: row.isSponsored ? adMarkingOf(row) : null,
      title: row.title,
      link: { type: 'article', slug: row.slug },
      window: isOnTheWay && from ? { from, until: null } : null,
    });
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

  /**
   * Writes a change if the article is still as checked (at the version, matching `where`), with what goes
   * with it and its webhook event in the same transaction; a write that matched nothing fails as the race left it.
   */
  async function writeChecked(current: ArticleRow, actor: Actor, expectedVersion: ExpectedVersion, change: CheckedChange): Promise<void> {
    const { id } = current;
    const version = expectedVersion ?? current.version;
    const surrogateKeys = await notePublicChange(id, publicStateOf(current), publicStateAfter(current, change));
    const isDone = await repo.inTransaction(async (tx) => {
      if (!(await repo.updateIf(tx, id, { expectedVersion: version, where: change.where }, change.data, change.relations))) return false;
      await change.alongside?.(tx);
      const { slug, rubricId } = change.entity ?? current;
      await recordEvent(tx, change.event, actor, { id, slug, version: version + 1, rubricId }, { ...change.details, surrogateKeys });
      return true;
    });
    deps.events.committed();
    if (!isDone) await failAfterRace(id, change.action);
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
    for (const [i, id] of (input.tagIds ?? []).entries()) {
      if (missingTags.includes(id)) errors.push({ field: `body.tagIds.${i}`, message: 'No tag has this id' });
    }
    for (const [i, id] of (input.authorIds ?? []).entries()) {
      if (missingUsers.includes(id)) errors.push({ field: `body.authorIds.${i}`, message: 'No user has this id' });
    }
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
    for (const [i, block] of (input.body ?? []).entries()) {
      if (block.type === 'image') kindError(`body.body.${i}.mediaId`, block.mediaId, 'image');
    }

    // Key points are checked against the body they will be saved with, whichever of the two changed.
    if (input.body || input.keyPoints) {
      const texts = quotableTextsOf(effective.body);
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

  /** Refuses a save that breaks any reference or body rule, naming every field at fault. */
  async function assertValid(input: UpdateArticleInput, effective: { body: ArticleBlockInput[]; keyPoints: string[] }, actor: Actor) {
    const errors = await fieldErrors(input, effective, actor);
    if (errors.length)
      throw new ValidationError(`The article is not valid: ${errors.length === 1 ? 'one field' : `${errors.length} fields`}.`, errors);
  }

  return {
    deps,
    repo,
    now,
    findOrThrow,
    reload,
    loadForChange,
    writeChecked,
    addRevision,
    recordEvent,
    assertValid,
    notePublicChange,
    publicKeysOf,
    syncAdPlacement,
  };
}

export type ArticleContext = ReturnType<typeof createArticleContext>;

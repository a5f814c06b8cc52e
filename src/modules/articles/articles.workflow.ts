import type { PrismaTx } from '../../db/database.ts';
import { ConflictError } from '../../errors.ts';
import type { Actor } from '../../shared/actor.ts';
import { addAuditDetails } from '../../shared/audit-intent.ts';
import { adMarkingInputOf, requireAdMarking } from '../../shared/ad-marking.ts';
import { notePurge } from '../../shared/cache-keys.ts';
import type { DomainEventType } from '../../shared/domain-events.ts';
import { toDate, type AlsoWrite, type ArticleContext, type ExpectedVersion } from './articles.context.ts';
import { assertMayChange, assertTransition, statusesAllowing, stillChangeableBy, type WorkflowAction } from './articles.policy.ts';
import type { ArticleRow } from './articles.repository.ts';
import type { ArticleResponse, PublishArticleInput } from './articles.schemas.ts';

/** The webhook event of a workflow step. */
function eventOf(action: WorkflowAction, status: ArticleRow['status']): DomainEventType {
  if (action === 'publish') return status === 'scheduled' ? 'article.scheduled' : 'article.published';
  return action === 'unpublish' || action === 'archive' ? 'article.unpublished' : 'article.updated';
}

/** The article's way from draft to public and back: review, publication, archive, the trash. */
export function createWorkflowOperations(ctx: ArticleContext) {
  const { deps, repo, now, loadForChange, writeChecked, reload, syncAdPlacement } = ctx;

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
    alsoWrite?: AlsoWrite,
  ): Promise<ArticleResponse> {
    const current = await loadForChange(id, actor, expectedVersion);
    assertTransition(action, current.status);
    // An advertisement goes public only with its marking (38-FZ art. 18.1).
    if (action === 'publish' && current.isSponsored) requireAdMarking(adMarkingInputOf(current), 'adMarking', 'The sponsored article');
    const at = now();
    const { feed, ...state } = next(current, at);
    await writeChecked(current, actor, expectedVersion, {
      where: { deletedAt: null, status: { in: statusesAllowing(action) } },
      data: { ...state, ...alsoWrite?.(current), updatedAt: at },
      alongside: async (tx) => {
        if (feed) await feed(tx);
        await deps.searchIndex.reindexArticle(tx, id);
        await syncAdPlacement(tx, id, current.isSponsored);
      },
      event: eventOf(action, state.status),
      details: action === 'publish' ? { publishedAt: state.publishedAt?.toISOString() ?? null } : undefined,
      action,
    });
    return reload(id);
  }

  const takeOutOfFeed = (id: string) => (tx: PrismaTx) => deps.feed.takeArticleOutOfFeed(tx, id);

  return {
    submit: (id: string, actor: Actor, expectedVersion: ExpectedVersion = null) =>
      act(id, actor, expectedVersion, 'submit', () => ({ status: 'in_review' })),

    reject: (id: string, actor: Actor, expectedVersion: ExpectedVersion = null) =>
      act(id, actor, expectedVersion, 'reject', () => ({ status: 'draft' })),

    /**
     * Publishes now, or schedules for a future `publishAt`. A scheduled article's feed item is written now
     * with that time; public reads show both from that moment on, whatever happens in between. An import
     * keeps its item's own publication time (`publishedAt`: a past one is kept, a future one schedules).
     */
    async publish(
      id: string,
      actor: Actor,
      options: PublishArticleInput & { expectedVersion?: ExpectedVersion; publishedAt?: Date | null; alsoWrite?: AlsoWrite } = {},
    ): Promise<ArticleResponse> {
      return act(
        id,
        actor,
        options.expectedVersion ?? null,
        'publish',
        (current, at) => {
          const publishAt = options.publishedAt ?? toDate(options.publishAt);
          const isScheduled = publishAt !== null && publishAt > at;
          const publishedAt = isScheduled ? publishAt : (options.publishedAt ?? at);
          const status = isScheduled ? 'scheduled' : 'published';
          // Known now, so that the audit entry commits with them.
          addAuditDetails({ status, publishedAt: publishedAt.toISOString() });
          return {
            status,
            publishedAt,
            feed: current.showInFeed
              ? (tx) => deps.feed.putArticleInFeed(tx, { id, title: current.title, rubricId: current.rubricId, publishedAt })
              : undefined,
          };
        },
        options.alsoWrite,
      );
    },

    /** Back to a draft, out of the public API and the feed. */
    unpublish: (id: string, actor: Actor, expectedVersion: ExpectedVersion = null, alsoWrite?: AlsoWrite) =>
      act(id, actor, expectedVersion, 'unpublish', () => ({ status: 'draft', publishedAt: null, feed: takeOutOfFeed(id) }), alsoWrite),

    /** Taken down but kept as it was published; publishing it again brings it back. */
    archive: (id: string, actor: Actor, expectedVersion: ExpectedVersion = null) =>
      act(id, actor, expectedVersion, 'archive', () => ({ status: 'archived', feed: takeOutOfFeed(id) })),

    /** Moves the article to the trash: out of the public API and the feed, restorable until an admin empties the trash. */
    async delete(id: string, actor: Actor, expectedVersion: ExpectedVersion = null): Promise<void> {
      const current = await loadForChange(id, actor, expectedVersion);
      assertMayChange(actor, current, 'delete');
      const at = now();
      await writeChecked(current, actor, expectedVersion, {
        where: { deletedAt: null, ...stillChangeableBy(actor) },
        data: { deletedAt: at, updatedAt: at },
        alongside: async (tx) => {
          await deps.feed.takeArticleOutOfFeed(tx, id);
          await deps.searchIndex.reindexArticle(tx, id);
          await syncAdPlacement(tx, id, current.isSponsored);
        },
        event: 'article.deleted',
      });
    },

    /** Brings an article back from the trash as a draft: it was taken down, so it goes public again only when published again. */
    async restore(id: string, actor: Actor, expectedVersion: ExpectedVersion = null): Promise<ArticleResponse> {
      const current = await loadForChange(id, actor, expectedVersion, { isInTrashExpected: true });
      if (!current.deletedAt) throw new ConflictError('The article is not in the trash.', 'article_not_in_trash');
      assertMayChange(actor, current, 'restore');
      await writeChecked(current, actor, expectedVersion, {
        where: { deletedAt: { not: null } },
        data: { deletedAt: null, status: 'draft', publishedAt: null, updatedAt: now() },
        event: 'article.updated',
      });
      return reload(id);
    },

    /** Deletes every article in the trash for good. */
    async emptyTrash(): Promise<{ deleted: number }> {
      // Nothing in the trash is public.
      notePurge([]);
      const deleted = await repo.inTransaction(async (tx) => {
        const count = await repo.emptyTrash(tx);
        // No webhook event names them: the audit entry, in the same transaction, counts them.
        await deps.audit.record(tx, { type: 'article', id: null }, { deleted: count });
        return count;
      });
      return { deleted };
    },
  };
}

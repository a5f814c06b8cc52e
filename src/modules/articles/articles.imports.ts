import { translatePrismaError } from '../../db/prisma-errors.ts';
import { AppError, ForbiddenError, PreconditionFailedError } from '../../errors.ts';
import type { Actor } from '../../shared/actor.ts';
import { quotableTextsOf } from '../../shared/article-text.ts';
import { notePurge } from '../../shared/cache-keys.ts';
import { compareVersions, type OriginArticleInput } from '../../shared/incoming-article.ts';
import { isValidSlug } from '../../shared/slug.ts';
import type { AlsoWrite, ArticleContext } from './articles.context.ts';
import { mayChangeWhatThePublicSees } from './articles.policy.ts';
import type { ArticleRow } from './articles.repository.ts';
import { contentOf } from './articles.revisions.ts';
import type { RevisionContent, UpdateArticleInput } from './articles.schemas.ts';
import type { createWorkflowOperations } from './articles.workflow.ts';
import type { createWriteOperations } from './articles.writes.ts';

/** What storing one foreign article came to (an `error` is thrown, for the caller to report). */
export interface OriginUpsertResult {
  status: 'created' | 'updated' | 'unchanged' | 'skipped';
  id: string | null;
  warnings: string[];
}

export interface OriginUpsertOptions {
  /** Publish a `usable` item (an `embargoed` one with its embargo): needs the editor role or the `publish` scope. */
  publish?: boolean;
}

/** The label of the revisions that hold a source's version an editor has not taken yet. */
export const sourceActorLabel = (source: string) => `source:${source}`;

const isOnTheWay = (status: ArticleRow['status']) => status === 'published' || status === 'scheduled';

// Tries of an update that met a save in between: the next try sees the editor's save and keeps a revision.
const maxTries = 3;

/**
 * Foreign articles (agency copy, bulk imports, WordPress posts) stored by their source and id there, through
 * the same saves and workflow steps as the newsroom's: the same checks, revisions, events and purges.
 */
export function createImportOperations(
  ctx: ArticleContext,
  ops: { writes: ReturnType<typeof createWriteOperations>; workflow: ReturnType<typeof createWorkflowOperations> },
) {
  const { repo, now } = ctx;
  const { writes, workflow } = ops;

  // What each import write also stores: the source's version, and the article's version after the write.
  const markImported =
    (externalVersion: string | null): AlsoWrite =>
    (current) => ({ externalVersion, importedVersion: current.version + 1 });

  /** The content the source sends, as a save takes it; key points still found in the new body are kept. */
  function contentOfItem(item: OriginArticleInput, keyPoints: string[]): UpdateArticleInput {
    const texts = quotableTextsOf(item.body);
    return {
      title: item.title,
      lead: item.lead,
      body: item.body,
      keyPoints: keyPoints.filter((point) => texts.some((text) => text.includes(point))),
      rubricId: item.rubricId,
      tagIds: item.tagIds,
      authorIds: item.authorIds,
      coverMediaId: item.coverMediaId,
      embargoUntil: item.embargoUntil?.toISOString() ?? null,
    };
  }

  async function create(item: OriginArticleInput, actor: Actor, publish: boolean): Promise<OriginUpsertResult> {
    // A wished-for slug that is taken (or not a slug) gives way to one made from the title.
    const slug = item.slug && isValidSlug(item.slug) && !(await repo.isSlugTaken(item.slug)) ? item.slug : undefined;
    const content = contentOfItem(item, []);
    const id = await writes.insert(
      {
        ...content,
        title: item.title,
        body: item.body,
        ...(slug ? { slug } : {}),
      },
      actor,
      { origin: item.origin, source: item.source, externalId: item.externalId, externalVersion: item.externalVersion, importedVersion: 1 },
    );
    if (publish && (item.status === 'usable' || item.status === 'embargoed')) {
      await workflow.publish(id, actor, { publishedAt: item.publishedAt, alsoWrite: markImported(item.externalVersion) });
    }
    return { status: 'created', id, warnings: [] };
  }

  /**
   * The source's new version of an article an editor saved since the last import: their text stays, the
   * source's content becomes a revision they can compare and restore. Public answers do not change.
   */
  async function keepAsRevision(current: ArticleRow, item: OriginArticleInput, actor: Actor): Promise<OriginUpsertResult> {
    const saved = contentOf(current);
    const content = contentOfItem(item, saved.keyPoints);
    const revision: RevisionContent = {
      ...saved,
      title: item.title,
      lead: item.lead,
      body: item.body,
      keyPoints: content.keyPoints ?? [],
      rubricId: item.rubricId,
      tagIds: item.tagIds,
      authorIds: item.authorIds,
      coverMediaId: item.coverMediaId,
      embargoUntil: content.embargoUntil ?? null,
    };
    const number = current.version + 1;
    const surrogateKeys = notePurge([]);
    const isDone = await repo.inTransaction(async (tx) => {
      if (!(await repo.updateIf(tx, current.id, { expectedVersion: current.version }, { externalVersion: item.externalVersion })))
        return false;
      await repo.addRevision(tx, { articleId: current.id, number, actor: sourceActorLabel(item.source), content: revision, at: now() });
      await ctx.recordEvent(
        tx,
        'article.updated',
        actor,
        { id: current.id, slug: current.slug, version: number, rubricId: current.rubricId },
        { surrogateKeys, keptAsRevision: number },
      );
      return true;
    });
    ctx.deps.events.committed();
    if (!isDone) throw new PreconditionFailedError(null);
    return { status: 'updated', id: current.id, warnings: [`kept as revision ${number}: edited since the last import`] };
  }

  /** Records the source's version of an article whose content does not change (a kill notice for a draft). */
  async function markVersion(current: ArticleRow, item: OriginArticleInput, actor: Actor): Promise<void> {
    await ctx.writeChecked(current, actor, current.version, {
      where: { deletedAt: null },
      data: { ...markImported(item.externalVersion)(current), updatedAt: now() },
      event: 'article.updated',
    });
  }

  /** Whether an editor saved the article since its last import (a workflow step alone does not count). */
  async function isEditedSinceImport(current: ArticleRow): Promise<boolean> {
    const imported = current.importedVersion ?? 0;
    return current.version !== imported && (await repo.hasRevisionAfter(current.id, imported));
  }

  async function updateExisting(
    current: ArticleRow,
    item: OriginArticleInput,
    actor: Actor,
    publish: boolean,
  ): Promise<OriginUpsertResult> {
    const order = compareVersions(current.externalVersion, item.externalVersion);
    const nothing = (status: 'unchanged' | 'skipped', warnings: string[] = []): OriginUpsertResult => {
      // Nothing public changes: the import's purge stage learns it has nothing to purge for this one.
      notePurge([]);
      return { status, id: current.id, warnings };
    };
    if (order === 0) return nothing('unchanged');
    if (order < 0) return nothing('skipped', [`older than the version already imported (${current.externalVersion})`]);
    if (current.deletedAt) return nothing('skipped', ['the article is in the trash']);

    const mark = markImported(item.externalVersion);
    if (item.status === 'canceled' || item.status === 'withheld') {
      // A kill notice or a hold takes the article down; its text stays for the newsroom to see.
      if (isOnTheWay(current.status)) await workflow.unpublish(current.id, actor, current.version, mark);
      else await markVersion(current, item, actor);
      return { status: 'updated', id: current.id, warnings: [] };
    }
    if (await isEditedSinceImport(current)) return keepAsRevision(current, item, actor);
    await writes.update(current.id, contentOfItem(item, current.keyPoints as string[]), actor, current.version, { alsoWrite: mark });
    if (publish && current.status === 'draft') {
      await workflow.publish(current.id, actor, { publishedAt: item.publishedAt, alsoWrite: mark });
    }
    return { status: 'updated', id: current.id, warnings: [] };
  }

  // Another instance stored the same item in between: its unique (source, externalId) refused this one.
  const isUniqueViolation = (error: unknown) => translatePrismaError(error)?.code === 'already_exists';
  // The wished-for slug was free when checked and taken before the save: the next try makes one from the title.
  const isSlugTakenMeanwhile = (error: unknown) => error instanceof AppError && error.code === 'slug_taken';

  return {
    /** The stored version of an imported article, for skipping an unchanged item before resolving its names. */
    findOriginVersion: (source: string, externalId: string) => repo.findOriginVersion(source, externalId),

    /**
     * Stores a foreign article by (source, externalId): a new one as a draft (published when asked and
     * allowed), a newer version over the draft, or as a revision when an editor saved it since the last
     * import; the same version is `unchanged`, an older one `skipped`. `canceled` and `withheld` take it down.
     * Throws what a save would (validation, permissions) for the caller to report; each write is one transaction.
     */
    async upsertFromOrigin(item: OriginArticleInput, actor: Actor, options: OriginUpsertOptions = {}): Promise<OriginUpsertResult> {
      const publish = options.publish ?? false;
      if (publish && !mayChangeWhatThePublicSees(actor))
        throw new ForbiddenError('Publishing what is imported needs the editor role or an API key with the "publish" scope.');
      for (let attempt = 1; ; attempt++) {
        const current = await repo.findByOrigin(item.source, item.externalId);
        try {
          if (current) return await updateExisting(current, item, actor, publish);
          if (item.status === 'canceled') {
            notePurge([]);
            return { status: 'skipped', id: null, warnings: ['canceled before it was ever imported: nothing to take down'] };
          }
          return await create(item, actor, publish);
        } catch (error) {
          // The same item stored by another instance, or saved by an editor, meanwhile: look again.
          const isRace = current ? error instanceof PreconditionFailedError : isUniqueViolation(error) || isSlugTakenMeanwhile(error);
          if (!isRace || attempt >= maxTries) throw error;
        }
      }
    },
  };
}

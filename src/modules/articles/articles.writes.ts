import { NotFoundError } from '../../errors.ts';
import type { ArticleBlockInput } from '../../shared/article-blocks.schemas.ts';
import { bodyTextsOf, foldForSearch } from '../../shared/article-text.ts';
import type { Actor } from '../../shared/actor.ts';
import { adMarkingInputOf, assertInnValid, requireAdMarking, toAdColumns } from '../../shared/ad-marking.ts';
import { notePurge } from '../../shared/cache-keys.ts';
import { userIdOf } from '../../shared/actor.ts';
import { resolveSlug } from '../../shared/slug-check.ts';
import { imageIdsOf, toDate, type AlsoWrite, type ArticleContext, type ExpectedVersion } from './articles.context.ts';
import { assertMayChange, defaultAuthorIds, stillChangeableBy } from './articles.policy.ts';
import type { ArticleData, OriginColumns } from './articles.repository.ts';
import type { ArticleResponse, CreateArticleInput, RevisionContent, UpdateArticleInput } from './articles.schemas.ts';

/** Article.searchText: the words of the title, lead and body, folded for the admin list's text filter. */
const searchTextOf = (title: string, lead: string | null, body: ArticleBlockInput[]) =>
  foldForSearch([title, lead ?? '', ...bodyTextsOf(body)].filter(Boolean).join('\n'));

/** A published or scheduled article has a feed item (unless it opts out) that follows its headline and rubric. */
const isOnTheWay = (status: string) => status === 'published' || status === 'scheduled';

/** What editors save: a new article, its changes, an older revision's content brought back. */
export function createWriteOperations(ctx: ArticleContext) {
  const { deps, repo, now, findOrThrow, reload, loadForChange, writeChecked, addRevision, recordEvent, assertValid, syncAdPlacement } = ctx;

  /** `origin`: where an imported article came from, stored with it (articles.imports.ts). */
  /** Creates the article; answers its id (an import needs no more, and reading it back costs four statements). */
  async function insert(input: CreateArticleInput, actor: Actor, origin?: OriginColumns): Promise<string> {
    const authorIds = input.authorIds ?? defaultAuthorIds(actor);
    const keyPoints = input.keyPoints ?? [];
    await assertValid({ ...input, authorIds, keyPoints }, { body: input.body, keyPoints }, actor);
    // A draft may wait for its erid; a wrong INN is refused at once.
    assertInnValid(input.adMarking, 'body.adMarking');
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
      narration: input.narration ?? null,
      seoTitle: input.seoTitle ?? null,
      seoDescription: input.seoDescription ?? null,
      showInFeed: input.showInFeed ?? true,
      embargoUntil: toDate(input.embargoUntil),
      searchText: searchTextOf(input.title, lead, input.body),
      isSponsored: input.isSponsored ?? false,
      commentsEnabled: input.commentsEnabled ?? (await deps.rubrics.takesCommentsByDefault(input.rubricId ?? null)),
      commentsClosedAt: toDate(input.commentsClosedAt),
    };
    const at = now();
    // A new article is a draft: no public answer shows it yet.
    const surrogateKeys = notePurge([]);
    const isLive = input.format === 'live';
    const id = await repo.inTransaction(async (tx) => {
      const createdId = await repo.create(
        tx,
        {
          ...data,
          ...(input.adMarking ? toAdColumns(input.adMarking) : {}),
          ...(isLive ? { format: 'live' as const, coverageStartedAt: at } : {}),
          ...origin,
          createdById: userIdOf(actor),
          at,
        },
        { authorIds, tagIds: input.tagIds ?? [], bodyMediaIds: imageIdsOf(input.body) },
      );
      await addRevision(tx, createdId, actor, at);
      await recordEvent(tx, 'article.created', actor, { id: createdId, slug, version: 1, rubricId: data.rubricId }, { surrogateKeys });
      return createdId;
    });
    deps.events.committed();
    return id;
  }

  async function create(input: CreateArticleInput, actor: Actor, origin?: OriginColumns): Promise<ArticleResponse> {
    return reload(await insert(input, actor, origin));
  }

  /**
   * Saves the changes if the article is still at `expectedVersion`, and keeps the saved content as a revision.
   * `alsoWrite`: columns an internal caller writes with the save (an import's version marks).
   */
  async function update(
    id: string,
    input: UpdateArticleInput,
    actor: Actor,
    expectedVersion: ExpectedVersion = null,
    { alsoWrite }: { alsoWrite?: AlsoWrite } = {},
  ): Promise<ArticleResponse> {
    const current = await loadForChange(id, actor, expectedVersion);
    assertMayChange(actor, current, 'edit');
    const body = input.body ?? (current.body as ArticleBlockInput[]);
    const keyPoints = input.keyPoints ?? (current.keyPoints as string[]);
    await assertValid(input, { body, keyPoints }, actor);
    const slugChanges = input.slug !== undefined && input.slug !== current.slug;
    const slug = slugChanges
      ? await resolveSlug({ given: input.slug, source: current.title, isTaken: (s) => repo.isSlugTaken(s, id) })
      : current.slug;

    const title = input.title ?? current.title;
    const lead = input.lead === undefined ? current.lead : input.lead;
    const rubricId = input.rubricId === undefined ? current.rubricId : input.rubricId;
    const showInFeed = input.showInFeed ?? current.showInFeed;
    const isSponsored = input.isSponsored ?? current.isSponsored;
    assertInnValid(input.adMarking, 'body.adMarking');
    // An article public or on its way stays marked while it is sponsored.
    if (isSponsored && isOnTheWay(current.status) && (input.isSponsored !== undefined || input.adMarking !== undefined)) {
      const marking = input.adMarking === null ? null : { ...adMarkingInputOf(current), ...input.adMarking };
      requireAdMarking(marking, 'body.adMarking', 'A sponsored article');
    }
    const at = now();
    await writeChecked(current, actor, expectedVersion, {
      // The save also needs the article still in a state the caller may change (an author's still a draft).
      where: { deletedAt: null, ...stillChangeableBy(actor) },
      data: {
        title,
        slug,
        lead,
        ...(input.body ? { body: input.body } : {}),
        ...(input.keyPoints ? { keyPoints: input.keyPoints } : {}),
        rubricId,
        ...(input.coverMediaId !== undefined ? { coverMediaId: input.coverMediaId } : {}),
        ...(input.narrationMediaId !== undefined ? { narrationMediaId: input.narrationMediaId } : {}),
        ...(input.narration !== undefined ? { narration: input.narration } : {}),
        ...(input.seoTitle !== undefined ? { seoTitle: input.seoTitle } : {}),
        ...(input.seoDescription !== undefined ? { seoDescription: input.seoDescription } : {}),
        ...(input.embargoUntil !== undefined ? { embargoUntil: toDate(input.embargoUntil) } : {}),
        ...(input.adMarking !== undefined ? toAdColumns(input.adMarking) : {}),
        ...(input.commentsEnabled !== undefined ? { commentsEnabled: input.commentsEnabled } : {}),
        ...(input.commentsClosedAt !== undefined ? { commentsClosedAt: toDate(input.commentsClosedAt) } : {}),
        // Readers are told the story changed only when an editor says it did.
        ...(input.substantiveUpdate ? { displayUpdatedAt: at } : {}),
        isSponsored,
        showInFeed,
        searchText: searchTextOf(title, lead, body),
        ...alsoWrite?.(current),
        updatedAt: at,
      },
      relations: { authorIds: input.authorIds, tagIds: input.tagIds, bodyMediaIds: input.body ? imageIdsOf(input.body) : undefined },
      alongside: async (tx) => {
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
        await syncAdPlacement(tx, id, current.isSponsored);
      },
      event: 'article.updated',
      entity: { slug, rubricId },
    });
    return reload(id);
  }

  return {
    create,
    insert,
    update,

    /** Saves a revision's content as the article's current content: a new revision, the history kept whole. */
    async restoreRevision(id: string, revisionId: string, actor: Actor, expectedVersion: ExpectedVersion = null): Promise<ArticleResponse> {
      await findOrThrow(id, actor);
      const revision = await repo.findRevision(id, revisionId);
      if (!revision) throw new NotFoundError('revision');
      return update(id, revision.content as RevisionContent, actor, expectedVersion);
    },
  };
}

import type { Prisma, PrismaNamespace, PrismaTx } from '../../db/database.ts';
import { ConflictError } from '../../errors.ts';
import { Prisma as PrismaSql } from '../../generated/sqlite/client.ts';
import {
  type ArticlePlacement,
  commentsKeyOf,
  keysOfArticleChange,
  keysOfFilterRecordChange,
  keysOfLiveEntryWrite,
  liveEntriesKey,
  rubricFilteredKey,
  withSafetyNet,
} from '../../shared/cache-keys.ts';
import type { CreatedArticleText, SearchIndexer } from '../../shared/search-indexer.ts';
import type {
  ArticleRecord,
  FeedItemRecord,
  LiveEntryRecord,
  MediaRecord,
  NativeRecord,
  RubricRecord,
  TagRecord,
  UserRecord,
} from './interchange.schemas.ts';

// The native dump and restore read and write the tables directly, by id, with their versions and timestamps:
// a restore tool below the services' rules (which would make new ids, versions and times), used only by admins.

/** What a restore did, and the public answers it changed (none when nothing was written). */
export interface RestoreOutcome {
  status: 'created' | 'updated' | 'unchanged' | 'skipped';
  keys: string[];
  /** A media's creator not restored yet (users come after media in the dump): linked once they are. */
  awaitsCreator?: string;
}

/** A page of rows after a keyset position, in id order. */
export interface PageOptions {
  after: string | null;
  since: Date | null;
  limit: number;
}

/** Restored users have no password: nothing verifies against it (see shared/passwords.ts) until one is set. */
const noPassword = '!';

const iso = (date: Date) => date.toISOString();
const isoOrNull = (date: Date | null) => (date ? date.toISOString() : null);
const toDate = (value: string) => new Date(value);
const toDateOrNull = (value: string | null) => (value ? new Date(value) : null);
const json = (value: unknown) => value as PrismaNamespace.InputJsonValue;

class MissingReferenceError extends ConflictError {
  constructor(what: string, id: string) {
    super(`The ${what} ${id} does not exist: restore it first (the export writes it on an earlier line).`, 'missing_reference');
  }
}

function verdictOf(current: number | undefined, incoming: number): RestoreOutcome['status'] {
  if (current === undefined) return 'created';
  if (incoming > current) return 'updated';
  return incoming === current ? 'unchanged' : 'skipped';
}

const pageWhere = ({ after, since }: PageOptions) => ({
  ...(after ? { id: { gt: after } } : {}),
  ...(since ? { updatedAt: { gte: since } } : {}),
});

const articleInclude = {
  authors: { select: { userId: true }, orderBy: { position: 'asc' } },
  tags: { select: { tagId: true }, orderBy: { position: 'asc' } },
  bodyMedia: { select: { mediaId: true }, orderBy: { mediaId: 'asc' } },
  slugRedirects: { select: { slug: true, createdAt: true }, orderBy: { slug: 'asc' } },
  pathRedirects: { select: { path: true, createdAt: true }, orderBy: { path: 'asc' } },
  corrections: { orderBy: [{ publishedAt: 'asc' }, { id: 'asc' }] },
  commentCount: { select: { count: true, updatedAt: true } },
} satisfies PrismaNamespace.ArticleInclude;

type ArticleExportRow = PrismaNamespace.ArticleGetPayload<{ include: typeof articleInclude }>;

export function createInterchangeRepository({
  prisma,
  searchIndex,
}: {
  prisma: Prisma;
  searchIndex: Pick<SearchIndexer, 'reindexArticle' | 'indexCreatedArticle' | 'createdArticleStatements'>;
}) {
  /** Runs a restore in its own transaction: a record is written whole or not at all. */
  const inTransaction = <T>(fn: (tx: PrismaTx) => Promise<T>): Promise<T> => prisma.$transaction(fn);

  async function assertExist(tx: PrismaTx, what: 'rubric' | 'media' | 'user' | 'tag' | 'article', ids: readonly (string | null)[]) {
    const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
    if (!wanted.length) return;
    const where = { id: { in: wanted } };
    const select = { id: true } as const;
    const found =
      what === 'rubric'
        ? await tx.rubric.findMany({ where, select })
        : what === 'media'
          ? await tx.media.findMany({ where, select })
          : what === 'user'
            ? await tx.user.findMany({ where, select })
            : what === 'tag'
              ? await tx.tag.findMany({ where, select })
              : await tx.article.findMany({ where, select });
    const known = new Set(found.map((row) => row.id));
    const missing = wanted.find((id) => !known.has(id));
    if (missing) throw new MissingReferenceError(what, missing);
  }

  /** The user if they exist, else null: a creator who is not in the dump is forgotten, not an error. */
  async function existingUserOrNull(tx: PrismaTx, id: string | null): Promise<string | null> {
    if (!id) return null;
    return (await tx.user.findUnique({ where: { id }, select: { id: true } })) ? id : null;
  }

  /** The slugs of the rubric and its ancestors (a tree a few levels deep); none without a rubric; MissingReferenceError when it does not exist. */
  async function rubricSlugsOrMissing(tx: PrismaTx, id: string | null): Promise<string[]> {
    const slugs: string[] = [];
    for (let rubricId = id, depth = 0; rubricId && depth < 100; depth++) {
      const rubric: { slug: string; parentId: string | null } | null = await tx.rubric.findUnique({
        where: { id: rubricId },
        select: { slug: true, parentId: true },
      });
      if (!rubric) {
        if (rubricId === id) throw new MissingReferenceError('rubric', rubricId);
        break;
      }
      slugs.push(rubric.slug);
      rubricId = rubric.parentId;
    }
    return slugs;
  }

  /** Where the article shows while public (or scheduled), for the purge; null when it does not. */
  async function placementIn(tx: PrismaTx, id: string): Promise<ArticlePlacement | null> {
    const row = await tx.article.findUnique({
      where: { id },
      select: {
        status: true,
        publishedAt: true,
        deletedAt: true,
        rubricId: true,
        showInFeed: true,
        tags: { select: { tag: { select: { slug: true } } } },
        authors: { select: { user: { select: { slug: true } } } },
      },
    });
    if (!row || !(row.status === 'published' || row.status === 'scheduled') || !row.publishedAt || row.deletedAt) return null;
    const rubricSlugs = await rubricSlugsOrMissing(tx, row.rubricId);
    return {
      isPublicBound: true,
      rubricSlugs,
      tagSlugs: row.tags.map((t) => t.tag.slug),
      authorSlugs: row.authors.map((a) => a.user.slug),
      isInFeed: row.showInFeed,
    };
  }

  /**
   * In one statement: the article's version (undefined when it is new), the slugs of its rubric and the rubric's
   * ancestors, the users and tags that exist with their slugs (and tag names, for the search index), and the first
   * missing rubric or media as the error to throw once the version says the record is to be written.
   */
  async function lookUpArticle(tx: PrismaTx, record: ArticleRecord) {
    const { sql, join } = PrismaSql;
    const mediaIds = [...new Set([record.coverMediaId, record.narrationMediaId, ...record.bodyMediaIds].filter((id) => id !== null))];
    const userIds = [...new Set([...record.authorIds, ...(record.createdById ? [record.createdById] : [])])];
    const tagIds = [...new Set(record.tagIds)];
    const branches = [
      sql`SELECT 'article' AS "kind", "id", CAST(NULL AS TEXT) AS "slug", CAST(NULL AS TEXT) AS "more", "version" AS "n" FROM "Article" WHERE "id" = ${record.id}`,
      ...(record.rubricId ? [sql`SELECT 'rubric', "id", "slug", "parentId", "depth" FROM "chain"`] : []),
      ...(mediaIds.length ? [sql`SELECT 'media', "id", NULL, NULL, 0 FROM "Media" WHERE "id" IN (${join(mediaIds)})`] : []),
      ...(userIds.length ? [sql`SELECT 'user', "id", "slug", NULL, 0 FROM "User" WHERE "id" IN (${join(userIds)})`] : []),
      ...(tagIds.length ? [sql`SELECT 'tag', "id", "slug", "name", 0 FROM "Tag" WHERE "id" IN (${join(tagIds)})`] : []),
    ];
    // The rubric and its ancestors, nearest first (a tree a few levels deep; a cycle stops at 100).
    const chain = record.rubricId
      ? sql`WITH RECURSIVE "chain" ("id", "slug", "parentId", "depth") AS (
          SELECT "id", "slug", "parentId", 0 FROM "Rubric" WHERE "id" = ${record.rubricId}
          UNION ALL
          SELECT r."id", r."slug", r."parentId", c."depth" + 1 FROM "Rubric" r JOIN "chain" c ON r."id" = c."parentId" WHERE c."depth" < 99
        ) `
      : PrismaSql.empty;
    const rows = await tx.$queryRaw<{ kind: string; id: string; slug: string | null; more: string | null; n: unknown }[]>(
      sql`${chain}${join(branches, ' UNION ALL ')}`,
    );
    let version: number | undefined;
    const rubrics: { slug: string; depth: number }[] = [];
    const media = new Set<string>();
    const users = new Map<string, string>();
    const tags = new Map<string, { slug: string; name: string }>();
    for (const row of rows) {
      if (row.kind === 'article') version = Number(row.n);
      else if (row.kind === 'rubric') rubrics.push({ slug: row.slug ?? '', depth: Number(row.n) });
      else if (row.kind === 'media') media.add(row.id);
      else if (row.kind === 'user') users.set(row.id, row.slug ?? '');
      else if (row.kind === 'tag') tags.set(row.id, { slug: row.slug ?? '', name: row.more ?? '' });
    }
    const missingMedia = mediaIds.find((id) => !media.has(id));
    const missing =
      record.rubricId && !rubrics.length
        ? new MissingReferenceError('rubric', record.rubricId)
        : missingMedia
          ? new MissingReferenceError('media', missingMedia)
          : undefined;
    const rubricSlugs = rubrics.sort((a, b) => a.depth - b.depth).map((rubric) => rubric.slug);
    return { version, rubricSlugs, users, tags, missing };
  }

  return {
    // --- the export: pages in id order, each record whole

    async mediaPage(page: PageOptions): Promise<MediaRecord[]> {
      const rows = await prisma.media.findMany({
        where: pageWhere(page),
        orderBy: { id: 'asc' },
        take: page.limit,
        include: { renditions: { orderBy: { id: 'asc' } } },
      });
      return rows.map(({ renditions, createdAt, updatedAt, ...row }) => ({
        type: 'media' as const,
        ...row,
        version: row.version,
        createdAt: iso(createdAt),
        updatedAt: iso(updatedAt),
        renditions: renditions.map(({ mediaId: _, ...rendition }) => rendition),
      }));
    },

    /** Ids of the rubrics changed since, parents before children (the tree is small: its ids fit in memory). */
    async rubricIdsInTreeOrder(since: Date | null): Promise<string[]> {
      const all = await prisma.rubric.findMany({ select: { id: true, parentId: true, updatedAt: true }, orderBy: { id: 'asc' } });
      const children = new Map<string | null, typeof all>();
      for (const rubric of all) {
        const siblings = children.get(rubric.parentId) ?? [];
        siblings.push(rubric);
        children.set(rubric.parentId, siblings);
      }
      const ordered: string[] = [];
      const known = new Set(all.map((rubric) => rubric.id));
      // Roots, then each level; a parent id that names no rubric counts as a root.
      let level = all.filter((rubric) => rubric.parentId === null || !known.has(rubric.parentId));
      while (level.length) {
        for (const rubric of level) if (!since || rubric.updatedAt >= since) ordered.push(rubric.id);
        level = level.flatMap((rubric) => children.get(rubric.id) ?? []);
      }
      return ordered;
    },

    async rubricsByIds(ids: string[]): Promise<RubricRecord[]> {
      const rows = await prisma.rubric.findMany({ where: { id: { in: ids } } });
      const byId = new Map(rows.map((row) => [row.id, row]));
      return ids.flatMap((id) => {
        const row = byId.get(id);
        if (!row) return [];
        const { createdAt, updatedAt, narration, ...rest } = row;
        return [
          {
            type: 'rubric' as const,
            ...rest,
            narration: narration === 'auto' || narration === 'off' ? narration : null,
            createdAt: iso(createdAt),
            updatedAt: iso(updatedAt),
          },
        ];
      });
    },

    async tagPage(page: PageOptions): Promise<TagRecord[]> {
      const rows = await prisma.tag.findMany({ where: pageWhere(page), orderBy: { id: 'asc' }, take: page.limit });
      return rows.map(({ createdAt, updatedAt, ...row }) => ({
        type: 'tag' as const,
        ...row,
        createdAt: iso(createdAt),
        updatedAt: iso(updatedAt),
      }));
    },

    async userPage(page: PageOptions): Promise<UserRecord[]> {
      const rows = await prisma.user.findMany({
        where: pageWhere(page),
        orderBy: { id: 'asc' },
        take: page.limit,
        // Never the password hash, sessions or keys.
        select: {
          id: true,
          email: true,
          slug: true,
          displayName: true,
          bio: true,
          avatarMediaId: true,
          role: true,
          isActive: true,
          version: true,
          createdAt: true,
          updatedAt: true,
        },
      });
      return rows.map(({ createdAt, updatedAt, ...row }) => ({
        type: 'user' as const,
        ...row,
        createdAt: iso(createdAt),
        updatedAt: iso(updatedAt),
      }));
    },

    async articleIdPage(page: PageOptions): Promise<string[]> {
      const rows = await prisma.article.findMany({
        where: pageWhere(page),
        orderBy: { id: 'asc' },
        take: page.limit,
        select: { id: true },
      });
      return rows.map((row) => row.id);
    },

    async articlePage(page: PageOptions): Promise<ArticleRecord[]> {
      const rows = await prisma.article.findMany({
        where: pageWhere(page),
        orderBy: { id: 'asc' },
        take: page.limit,
        include: articleInclude,
      });
      return rows.map(toArticleRecord);
    },

    async liveEntryPage(page: PageOptions): Promise<LiveEntryRecord[]> {
      const rows = await prisma.liveEntry.findMany({ where: pageWhere(page), orderBy: { id: 'asc' }, take: page.limit });
      return rows.map(({ publishedAt, createdAt, updatedAt, deletedAt, authorIds, body, ...row }) => ({
        type: 'live_entry' as const,
        ...row,
        body: body as unknown[],
        authorIds: authorIds as string[],
        publishedAt: iso(publishedAt),
        createdAt: iso(createdAt),
        updatedAt: iso(updatedAt),
        deletedAt: isoOrNull(deletedAt),
      }));
    },

    async feedItemPage(page: PageOptions): Promise<FeedItemRecord[]> {
      const rows = await prisma.feedItem.findMany({ where: pageWhere(page), orderBy: { id: 'asc' }, take: page.limit });
      return rows.map(({ publishedAt, visibleFrom, visibleUntil, createdAt, updatedAt, ...row }) => ({
        type: 'feed_item' as const,
        ...row,
        publishedAt: iso(publishedAt),
        visibleFrom: isoOrNull(visibleFrom),
        visibleUntil: isoOrNull(visibleUntil),
        createdAt: iso(createdAt),
        updatedAt: iso(updatedAt),
      }));
    },

    /** Sets the creator of media restored before them (the row as it was exported: no new version). */
    async linkMediaCreator(userId: string, mediaIds: string[]): Promise<void> {
      // In SQL: the client's updateMany would stamp updatedAt with the time of the import.
      const { sql, join } = PrismaSql;
      await prisma.$executeRaw(
        sql`UPDATE "Media" SET "createdById" = ${userId} WHERE "id" IN (${join(mediaIds)}) AND "createdById" IS NULL`,
      );
    },

    // --- the restore: each record by id in its own transaction; a newer version replaces the row whole

    restore(record: NativeRecord): Promise<RestoreOutcome> {
      switch (record.type) {
        case 'media':
          return inTransaction((tx) => restoreMedia(tx, record));
        case 'rubric':
          return inTransaction((tx) => restoreRubric(tx, record));
        case 'tag':
          return inTransaction((tx) => restoreTag(tx, record));
        case 'user':
          return inTransaction((tx) => restoreUser(tx, record));
        case 'article':
          return restoreArticleOrCreate(record);
        case 'live_entry':
          return inTransaction((tx) => restoreLiveEntry(tx, record));
        case 'feed_item':
          return restoreFeedItemOrCreate(record);
      }
    },
  };

  /**
   * A new article (a site moved into an empty database) is written by one batch transaction of statements known in
   * advance, without the interactive transaction's round trips; a newer version goes the interactive way. When
   * another writer creates it between the lookup and the batch, the batch fails whole and the interactive way
   * decides again (unchanged, updated or skipped), as it does any other failure, with the same answer or error.
   */
  async function restoreArticleOrCreate(record: ArticleRecord): Promise<RestoreOutcome> {
    const found = await lookUpArticle(prisma, record);
    const status = verdictOf(found.version, record.version);
    if (status === 'unchanged' || status === 'skipped') return { status, keys: [] };
    if (status === 'updated') return inTransaction((tx) => restoreArticle(tx, record));
    const written = checkedArticle(record, found);
    try {
      await prisma.$transaction(newArticleStatements(written, found));
    } catch {
      return inTransaction((tx) => restoreArticle(tx, record));
    }
    return { status, keys: keysOfArticleRestore(record, found, null) };
  }

  /** A new feed item is one INSERT (a transaction of its own); a newer version, or a failed INSERT, goes the interactive way. */
  async function restoreFeedItemOrCreate(record: FeedItemRecord): Promise<RestoreOutcome> {
    const found = await lookUpFeedItem(prisma, record);
    const status = verdictOf(found.version, record.version);
    if (status === 'unchanged' || status === 'skipped') return { status, keys: [] };
    if (status === 'updated') return inTransaction((tx) => restoreFeedItem(tx, record));
    found.assertReferences();
    try {
      await prisma.$executeRaw(insertRowSql('FeedItem', feedItemRow(record)));
    } catch {
      return inTransaction((tx) => restoreFeedItem(tx, record));
    }
    return { status, keys: feedItemKeys(record.id) };
  }

  /** The INSERTs of a new article, its relations and its search rows, for one batch transaction. */
  function newArticleStatements({ row, relations }: CheckedArticle, found: ArticleLookup): PrismaNamespace.PrismaPromise<number>[] {
    const { sql, join } = PrismaSql;
    const { id, authorIds, tagIds, bodyMediaIds, slugRedirects, pathRedirects, corrections, commentCount } = relations;
    const statements = [
      // Json columns as their text: SQLite keeps it as it is, PostgreSQL reads it into jsonb.
      insertRowSql('Article', { ...row, body: JSON.stringify(row.body), keyPoints: JSON.stringify(row.keyPoints) }),
    ];
    if (authorIds.length)
      statements.push(sql`INSERT INTO "ArticleAuthor" ("articleId", "userId", "position")
        VALUES ${join(authorIds.map((userId, position) => sql`(${id}, ${userId}, ${position})`))}`);
    if (tagIds.length)
      statements.push(sql`INSERT INTO "ArticleTag" ("articleId", "tagId", "position")
        VALUES ${join(tagIds.map((tagId, position) => sql`(${id}, ${tagId}, ${position})`))}`);
    if (bodyMediaIds.length)
      statements.push(
        sql`INSERT INTO "ArticleBodyMedia" ("articleId", "mediaId") VALUES ${join(bodyMediaIds.map((mediaId) => sql`(${id}, ${mediaId})`))}`,
      );
    if (slugRedirects.length)
      statements.push(sql`INSERT INTO "ArticleSlugRedirect" ("slug", "articleId", "createdAt")
        VALUES ${join(slugRedirects.map((r) => sql`(${r.slug}, ${id}, ${toDate(r.createdAt)})`))}`);
    if (pathRedirects.length)
      statements.push(sql`INSERT INTO "PathRedirect" ("path", "articleId", "createdAt")
        VALUES ${join(pathRedirects.map((r) => sql`(${r.path}, ${id}, ${toDate(r.createdAt)})`))}`);
    if (corrections.length)
      statements.push(sql`INSERT INTO "ArticleCorrection" ("id", "articleId", "kind", "text", "actor", "publishedAt")
        VALUES ${join(corrections.map((c) => sql`(${c.id}, ${id}, ${c.kind}, ${c.text}, ${c.actor}, ${toDate(c.publishedAt)})`))}`);
    if (commentCount)
      statements.push(sql`INSERT INTO "ArticleCommentCount" ("articleId", "count", "updatedAt")
        VALUES (${id}, ${commentCount.count}, ${toDate(commentCount.updatedAt)})`);
    return [
      ...statements.map((statement) => prisma.$executeRaw(statement)),
      ...searchIndex.createdArticleStatements(createdArticleText(row, tagIds, found)),
    ];
  }

  async function restoreMedia(tx: PrismaTx, record: MediaRecord): Promise<RestoreOutcome> {
    const current = await tx.media.findUnique({ where: { id: record.id }, select: { version: true } });
    const status = verdictOf(current?.version, record.version);
    if (status === 'unchanged' || status === 'skipped') return { status, keys: [] };
    const { type: _, id, renditions, createdAt, updatedAt, createdById, ...columns } = record;
    const creator = await existingUserOrNull(tx, createdById);
    const data = { ...columns, createdById: creator, createdAt: toDate(createdAt), updatedAt: toDate(updatedAt) };
    if (current) {
      await tx.mediaRendition.deleteMany({ where: { mediaId: id } });
      await tx.media.update({ where: { id }, data });
    } else {
      await tx.media.create({ data: { id, ...data } });
    }
    if (renditions.length) await tx.mediaRendition.createMany({ data: renditions.map((rendition) => ({ ...rendition, mediaId: id })) });
    return {
      status,
      keys: withSafetyNet([`media:${id}`, 'media']),
      ...(createdById && !creator ? { awaitsCreator: createdById } : {}),
    };
  }

  async function restoreRubric(tx: PrismaTx, record: RubricRecord): Promise<RestoreOutcome> {
    const current = await tx.rubric.findUnique({ where: { id: record.id }, select: { version: true, slug: true } });
    const status = verdictOf(current?.version, record.version);
    if (status === 'unchanged' || status === 'skipped') return { status, keys: [] };
    await assertExist(tx, 'rubric', [record.parentId]);
    const { type: _, id, createdAt, updatedAt, ...columns } = record;
    const data = { ...columns, createdAt: toDate(createdAt), updatedAt: toDate(updatedAt) };
    if (current) await tx.rubric.update({ where: { id }, data });
    else await tx.rubric.create({ data: { id, ...data } });
    // A moved or renamed rubric changes which articles its ancestors' lists hold.
    return { status, keys: keysOfFilterRecordChange('rubric', id, [current?.slug, record.slug], [rubricFilteredKey]) };
  }

  async function restoreTag(tx: PrismaTx, record: TagRecord): Promise<RestoreOutcome> {
    const current = await tx.tag.findUnique({ where: { id: record.id }, select: { version: true, slug: true, name: true } });
    const status = verdictOf(current?.version, record.version);
    if (status === 'unchanged' || status === 'skipped') return { status, keys: [] };
    const { type: _, id, createdAt, updatedAt, ...columns } = record;
    const data = { ...columns, createdAt: toDate(createdAt), updatedAt: toDate(updatedAt) };
    if (current) {
      await tx.tag.update({ where: { id }, data });
      // Tag names are searched: the articles carrying a renamed tag are indexed again.
      if (current.name !== record.name) {
        const carriers = await tx.articleTag.findMany({ where: { tagId: id }, select: { articleId: true } });
        for (const { articleId } of carriers) await searchIndex.reindexArticle(tx, articleId);
      }
    } else {
      await tx.tag.create({ data: { id, ...data } });
    }
    return { status, keys: keysOfFilterRecordChange('tag', id, [current?.slug, record.slug]) };
  }

  async function restoreUser(tx: PrismaTx, record: UserRecord): Promise<RestoreOutcome> {
    const current = await tx.user.findUnique({ where: { id: record.id }, select: { version: true, slug: true } });
    const status = verdictOf(current?.version, record.version);
    if (status === 'unchanged' || status === 'skipped') return { status, keys: [] };
    await assertExist(tx, 'media', [record.avatarMediaId]);
    const { type: _, id, createdAt, updatedAt, ...columns } = record;
    const data = { ...columns, createdAt: toDate(createdAt), updatedAt: toDate(updatedAt) };
    // An existing user keeps their password; a new one has none.
    if (current) await tx.user.update({ where: { id }, data });
    else await tx.user.create({ data: { id, ...data, passwordHash: noPassword } });
    return { status, keys: keysOfFilterRecordChange('user', id, [current?.slug, record.slug]) };
  }

  /**
   * The article's row as the table holds it, and its relations, once the lookup's references and the record's own
   * lists are checked (the errors a restore answers before it writes anything).
   */
  function checkedArticle(record: ArticleRecord, { users, tags, missing }: ArticleLookup) {
    if (missing) throw missing;
    // Named twice, a relation's row would be written twice (its key is the pair).
    for (const [what, ids] of [
      ['user', record.authorIds],
      ['tag', record.tagIds],
      ['media', record.bodyMediaIds],
    ] as const) {
      const seen = new Set<string>();
      const twice = ids.find((ref) => seen.size === seen.add(ref).size);
      if (twice) throw new ConflictError(`The article names the ${what} ${twice} twice.`, 'already_exists');
    }
    const missingAuthor = record.authorIds.find((id) => !users.has(id));
    if (missingAuthor) throw new MissingReferenceError('user', missingAuthor);
    const missingTag = record.tagIds.find((id) => !tags.has(id));
    if (missingTag) throw new MissingReferenceError('tag', missingTag);
    const {
      type: _,
      id,
      authorIds,
      tagIds,
      bodyMediaIds,
      slugRedirects,
      pathRedirects,
      corrections,
      commentCount,
      createdById,
      ...columns
    } = record;
    const row = {
      id,
      ...columns,
      createdById: createdById && users.has(createdById) ? createdById : null,
      publishedAt: toDateOrNull(record.publishedAt),
      embargoUntil: toDateOrNull(record.embargoUntil),
      deletedAt: toDateOrNull(record.deletedAt),
      displayUpdatedAt: toDateOrNull(record.displayUpdatedAt),
      commentsClosedAt: toDateOrNull(record.commentsClosedAt),
      coverageStartedAt: toDateOrNull(record.coverageStartedAt),
      coverageEndedAt: toDateOrNull(record.coverageEndedAt),
      createdAt: toDate(record.createdAt),
      updatedAt: toDate(record.updatedAt),
    };
    return { row, relations: { id, authorIds, tagIds, bodyMediaIds, slugRedirects, pathRedirects, corrections, commentCount } };
  }

  async function restoreArticle(tx: PrismaTx, record: ArticleRecord): Promise<RestoreOutcome> {
    // The version and the references (with the slugs the purge needs) in one statement.
    const found = await lookUpArticle(tx, record);
    const status = verdictOf(found.version, record.version);
    if (status === 'unchanged' || status === 'skipped') return { status, keys: [] };
    const current = found.version !== undefined;
    const { row, relations } = checkedArticle(record, found);
    const before = current ? await placementIn(tx, record.id) : null;
    const { id, authorIds, tagIds, bodyMediaIds, slugRedirects, pathRedirects, corrections, commentCount } = relations;
    const { id: _, ...columns } = row;
    const data = { ...columns, body: json(row.body), keyPoints: json(row.keyPoints) };
    if (current) {
      const where = { articleId: id };
      await tx.articleAuthor.deleteMany({ where });
      await tx.articleTag.deleteMany({ where });
      await tx.articleBodyMedia.deleteMany({ where });
      await tx.articleSlugRedirect.deleteMany({ where });
      await tx.pathRedirect.deleteMany({ where });
      await tx.articleCorrection.deleteMany({ where });
      await tx.articleCommentCount.deleteMany({ where });
      await tx.article.update({ where: { id }, data });
    } else {
      await tx.article.create({ data: { id, ...data }, select: { id: true } });
    }
    // In SQL: the client's createMany costs several times the statement it sends.
    const { sql, join } = PrismaSql;
    if (authorIds.length)
      await tx.$executeRaw`INSERT INTO "ArticleAuthor" ("articleId", "userId", "position")
        VALUES ${join(authorIds.map((userId, position) => sql`(${id}, ${userId}, ${position})`))}`;
    if (tagIds.length)
      await tx.$executeRaw`INSERT INTO "ArticleTag" ("articleId", "tagId", "position")
        VALUES ${join(tagIds.map((tagId, position) => sql`(${id}, ${tagId}, ${position})`))}`;
    if (bodyMediaIds.length)
      await tx.$executeRaw`INSERT INTO "ArticleBodyMedia" ("articleId", "mediaId") VALUES ${join(bodyMediaIds.map((mediaId) => sql`(${id}, ${mediaId})`))}`;
    if (slugRedirects.length)
      await tx.articleSlugRedirect.createMany({
        data: slugRedirects.map((r) => ({ articleId: id, slug: r.slug, createdAt: toDate(r.createdAt) })),
      });
    if (pathRedirects.length)
      await tx.pathRedirect.createMany({
        data: pathRedirects.map((r) => ({ articleId: id, path: r.path, createdAt: toDate(r.createdAt) })),
      });
    if (corrections.length)
      await tx.articleCorrection.createMany({
        data: corrections.map((c) => ({ ...c, articleId: id, publishedAt: toDate(c.publishedAt) })),
      });
    if (commentCount)
      await tx.articleCommentCount.create({
        data: { articleId: id, count: commentCount.count, updatedAt: toDate(commentCount.updatedAt) },
      });
    // A new article: indexed from what was just written, not read back.
    if (current) await searchIndex.reindexArticle(tx, id);
    else await searchIndex.indexCreatedArticle(tx, createdArticleText(row, tagIds, found));
    return { status, keys: keysOfArticleRestore(record, found, before) };
  }

  /** What the search index reads of a new article, from what is written rather than read back. */
  function createdArticleText(row: CheckedArticle['row'], tagIds: string[], { tags }: ArticleLookup): CreatedArticleText {
    return {
      id: row.id,
      title: row.title,
      lead: row.lead,
      body: row.body,
      tagNames: tagIds.map((tagId) => tags.get(tagId)?.name ?? ''),
      publishedAt: row.publishedAt,
      deletedAt: row.deletedAt,
    };
  }

  /** The public answers a restored article changed: where it showed before (null: nowhere, or new) and where it shows now. */
  function keysOfArticleRestore(
    record: ArticleRecord,
    { rubricSlugs, users, tags }: ArticleLookup,
    before: ArticlePlacement | null,
  ): string[] {
    const isPublicBound =
      (record.status === 'published' || record.status === 'scheduled') && record.publishedAt !== null && record.deletedAt === null;
    const after: ArticlePlacement | null = isPublicBound
      ? {
          isPublicBound,
          rubricSlugs,
          tagSlugs: record.tagIds.map((tagId) => tags.get(tagId)?.slug ?? ''),
          authorSlugs: record.authorIds.map((userId) => users.get(userId) ?? ''),
          isInFeed: record.showInFeed,
        }
      : null;
    const keys = keysOfArticleChange(record.id, before, after);
    // Its live entries and comment count answer from it too (as a public save purges them).
    return keys.length ? withSafetyNet([...keys, liveEntriesKey(record.id), commentsKeyOf(record.id)]) : [];
  }

  async function restoreLiveEntry(tx: PrismaTx, record: LiveEntryRecord): Promise<RestoreOutcome> {
    const current = await tx.liveEntry.findUnique({ where: { id: record.id }, select: { version: true, articleId: true } });
    const status = verdictOf(current?.version, record.version);
    if (status === 'unchanged' || status === 'skipped') return { status, keys: [] };
    await assertExist(tx, 'article', [record.articleId]);
    const { type: _, id, body, authorIds, ...columns } = record;
    const data = {
      ...columns,
      body: json(body),
      authorIds: json(authorIds),
      publishedAt: toDate(record.publishedAt),
      createdAt: toDate(record.createdAt),
      updatedAt: toDate(record.updatedAt),
      deletedAt: toDateOrNull(record.deletedAt),
    };
    if (current) await tx.liveEntry.update({ where: { id }, data });
    else await tx.liveEntry.create({ data: { id, ...data } });
    const articles = [...new Set([record.articleId, ...(current ? [current.articleId] : [])])];
    // A live article's entries are searched with it.
    for (const articleId of articles) await searchIndex.reindexArticle(tx, articleId);
    return { status, keys: withSafetyNet(articles.flatMap(keysOfLiveEntryWrite)) };
  }

  /** In one statement: the feed item's version (undefined when it is new), and a check that its rubric and article exist. */
  async function lookUpFeedItem(tx: PrismaTx, record: FeedItemRecord) {
    const { sql } = PrismaSql;
    const rows = await tx.$queryRaw<{ kind: string; n: unknown }[]>(sql`
      SELECT 'feed_item' AS "kind", "version" AS "n" FROM "FeedItem" WHERE "id" = ${record.id}
      UNION ALL SELECT 'rubric', 0 FROM "Rubric" WHERE "id" = ${record.rubricId}
      UNION ALL SELECT 'article', 0 FROM "Article" WHERE "id" = ${record.articleId}`);
    const found = (kind: string) => rows.find((row) => row.kind === kind);
    const version = found('feed_item')?.n;
    return {
      version: version === undefined ? undefined : Number(version),
      assertReferences() {
        if (record.rubricId && !found('rubric')) throw new MissingReferenceError('rubric', record.rubricId);
        if (record.articleId && !found('article')) throw new MissingReferenceError('article', record.articleId);
      },
    };
  }

  async function restoreFeedItem(tx: PrismaTx, record: FeedItemRecord): Promise<RestoreOutcome> {
    // The version and the references in one statement.
    const found = await lookUpFeedItem(tx, record);
    const status = verdictOf(found.version, record.version);
    if (status === 'unchanged' || status === 'skipped') return { status, keys: [] };
    found.assertReferences();
    const { id, ...data } = feedItemRow(record);
    if (found.version !== undefined) await tx.feedItem.update({ where: { id }, data });
    else await tx.feedItem.create({ data: { id, ...data } });
    return { status, keys: feedItemKeys(id) };
  }

  type ArticleLookup = Awaited<ReturnType<typeof lookUpArticle>>;
  type CheckedArticle = ReturnType<typeof checkedArticle>;
}

/** The feed item's row as the table holds it. */
function feedItemRow(record: FeedItemRecord) {
  const { type: _, ...columns } = record;
  return {
    ...columns,
    publishedAt: toDate(record.publishedAt),
    visibleFrom: toDateOrNull(record.visibleFrom),
    visibleUntil: toDateOrNull(record.visibleUntil),
    createdAt: toDate(record.createdAt),
    updatedAt: toDate(record.updatedAt),
  };
}

const feedItemKeys = (id: string) => withSafetyNet([`feed-item:${id}`, 'feed']);

/**
 * An INSERT of one row: its columns by their names (a record's keys, fixed by its strict schema), its values bound
 * as the client binds a model's (dates as the adapter stores DateTime, booleans as SQLite's 0/1); text into an enum
 * or a Json column takes the column's type on PostgreSQL.
 */
function insertRowSql(table: string, row: Record<string, unknown>): PrismaNamespace.Sql {
  const names = Object.keys(row);
  for (const name of [table, ...names]) if (!/^\w+$/.test(name)) throw new Error(`Not a column name: ${name}`);
  return PrismaSql.sql`INSERT INTO ${PrismaSql.raw(`"${table}"`)} (${PrismaSql.raw(names.map((name) => `"${name}"`).join(', '))})
    VALUES (${PrismaSql.join(names.map((name) => row[name]))})`;
}

function toArticleRecord(row: ArticleExportRow): ArticleRecord {
  const { authors, tags, bodyMedia, slugRedirects, pathRedirects, corrections, commentCount, body, keyPoints, ...columns } = row;
  return {
    type: 'article',
    ...columns,
    narration: columns.narration === 'auto' || columns.narration === 'off' ? columns.narration : null,
    body: body as unknown[],
    keyPoints: keyPoints as unknown[],
    publishedAt: isoOrNull(columns.publishedAt),
    embargoUntil: isoOrNull(columns.embargoUntil),
    deletedAt: isoOrNull(columns.deletedAt),
    displayUpdatedAt: isoOrNull(columns.displayUpdatedAt),
    commentsClosedAt: isoOrNull(columns.commentsClosedAt),
    coverageStartedAt: isoOrNull(columns.coverageStartedAt),
    coverageEndedAt: isoOrNull(columns.coverageEndedAt),
    createdAt: iso(columns.createdAt),
    updatedAt: iso(columns.updatedAt),
    authorIds: authors.map((a) => a.userId),
    tagIds: tags.map((t) => t.tagId),
    bodyMediaIds: bodyMedia.map((m) => m.mediaId),
    slugRedirects: slugRedirects.map((r) => ({ slug: r.slug, createdAt: iso(r.createdAt) })),
    pathRedirects: pathRedirects.map((r) => ({ path: r.path, createdAt: iso(r.createdAt) })),
    corrections: corrections.map((c) => ({ id: c.id, kind: c.kind, text: c.text, actor: c.actor, publishedAt: iso(c.publishedAt) })),
    commentCount: commentCount ? { count: commentCount.count, updatedAt: iso(commentCount.updatedAt) } : null,
  };
}

export type InterchangeRepository = ReturnType<typeof createInterchangeRepository>;

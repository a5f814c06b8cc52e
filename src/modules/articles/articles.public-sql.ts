import { columnsOf, jsonDate, objectOfColumns, parseJsonValue, type JsonSql } from '../../db/json-sql.ts';
import { Prisma } from '../../generated/sqlite/client.ts';
import { publicArticleSql } from '../../shared/article-visibility.ts';
import { mediaByIdJson, mediaJsonOf, toMediaRow } from '../media/media.public-sql.ts';
import { rubricRefJson, toRubricRefRow } from '../rubrics/rubrics.public-sql.ts';
import type { PublicInclude } from './articles.public.schemas.ts';

// The public reads of articles in SQL: each page or list is one statement, the article's relations
// (rubric, byline, tags, media with their renditions) nested in it as JSON by the database, whatever
// the page size or the relations asked for. The rows come back in the shapes Prisma gave before, so
// the mappers are the same for both.

type Sql = Prisma.Sql;
const { sql, join, empty, raw } = Prisma;

/** What a select reads: the list item, the item with its body (search snippets), or the whole page. */
export type ArticleShape = 'summary' | 'summaryWithBody' | 'page';

// Every column but those a public read never shows, so that a column added later reaches the mappers.
const allColumns = Object.values(Prisma.ArticleScalarFieldEnum);
const columnsFor: Record<ArticleShape, Sql> = {
  summary: columnsOf(
    'a',
    allColumns.filter((c) => c !== 'searchText' && c !== 'body' && c !== 'keyPoints'),
  ),
  summaryWithBody: columnsOf(
    'a',
    allColumns.filter((c) => c !== 'searchText' && c !== 'keyPoints'),
  ),
  page: columnsOf(
    'a',
    allColumns.filter((c) => c !== 'searchText'),
  ),
};

interface Ref {
  id: string;
  name: string;
  slug: string;
}
export type RawArticleRow = Record<string, unknown> & {
  rubric?: unknown;
  authors?: unknown;
  tags?: unknown;
  coverMedia?: unknown;
  narrationMedia?: unknown;
  bodyMedia?: unknown;
  corrections?: unknown;
  commentCount?: unknown;
};

interface CorrectionJson {
  id: string;
  kind: string;
  text: string;
  publishedAt: string;
}

const byNewest = sql`ORDER BY a."publishedAt" DESC, a."id" DESC`;

/** The rubric and its direct sub-rubrics, by the slug of an active rubric (none for any other slug). */
const inRubricTreeOfSlug = (slug: string) =>
  sql`a."rubricId" IN (SELECT r."id" FROM "Rubric" r WHERE r."slug" = ${slug} AND r."isActive" = ${true}
    UNION ALL SELECT c."id" FROM "Rubric" c JOIN "Rubric" p ON p."id" = c."parentId" WHERE p."slug" = ${slug} AND p."isActive" = ${true})`;

/** The rubric and its direct sub-rubrics, by id. */
const inRubricTreeOfId = (id: string) =>
  sql`(a."rubricId" = ${id} OR a."rubricId" IN (SELECT c."id" FROM "Rubric" c WHERE c."parentId" = ${id}))`;

/** The filters of the public article list, each by slug, so the list is read in the statement that filters it. */
export interface PublicListFilter {
  rubricSlug?: string;
  tagSlug?: string;
  authorSlug?: string;
  from?: Date;
  to?: Date;
}

export function createPublicArticleSql(json: JsonSql) {
  const relationsFor = (shape: ArticleShape, include: ReadonlySet<PublicInclude>): Sql[] => {
    const user = objectOfColumns(json, 'u', ['id', 'displayName', 'slug']);
    const tag = objectOfColumns(json, 'g', ['id', 'name', 'slug']);
    const rubric = rubricRefJson(json, 'r');
    return [
      include.has('rubric') ? sql`${json.nest(sql`(SELECT ${rubric} FROM "Rubric" r WHERE r."id" = a."rubricId")`)} AS "rubric"` : empty,
      include.has('authors')
        ? sql`${json.array(
            user,
            sql`FROM "ArticleAuthor" aa JOIN "User" u ON u."id" = aa."userId" WHERE aa."articleId" = a."id"`,
            sql`aa."position"`,
          )} AS "authors"`
        : empty,
      include.has('tags')
        ? sql`${json.array(tag, sql`FROM "ArticleTag" at JOIN "Tag" g ON g."id" = at."tagId" WHERE at."articleId" = a."id"`, sql`at."position"`)} AS "tags"`
        : empty,
      include.has('cover') ? sql`${mediaByIdJson(json, sql`a."coverMediaId"`)} AS "coverMedia"` : empty,
      // Only for answers that show it: pages are not purged on every comment, the answers carrying `comments:<id>` are.
      include.has('commentCount')
        ? sql`(SELECT cc."count" FROM "ArticleCommentCount" cc WHERE cc."articleId" = a."id") AS "commentCount"`
        : empty,
      ...(shape === 'page'
        ? [
            sql`${mediaByIdJson(json, sql`a."narrationMediaId"`)} AS "narrationMedia"`,
            sql`${json.array(
              mediaJsonOf(json, 'bm'),
              // In any order: the mapper finds each photo by its id.
              sql`FROM "ArticleBodyMedia" abm JOIN "Media" bm ON bm."id" = abm."mediaId" WHERE abm."articleId" = a."id"`,
            )} AS "bodyMedia"`,
            sql`${json.array(
              objectOfColumns(json, 'c', ['id', 'kind', 'text', 'publishedAt']),
              sql`FROM "ArticleCorrection" c WHERE c."articleId" = a."id"`,
              sql`c."publishedAt", c."id"`,
            )} AS "corrections"`,
          ]
        : []),
    ].filter((part) => part !== empty);
  };

  /** One statement: the articles of `where`, in the shape, with the relations of `include`. */
  function select(shape: ArticleShape, include: ReadonlySet<PublicInclude>, where: Sql): Sql {
    return sql`SELECT ${join([columnsFor[shape], ...relationsFor(shape, include)])} FROM "Article" a WHERE ${where}`;
  }

  /**
   * One statement: the first `take` articles of `where`, newest first. The page's ids are chosen first, so
   * the relations are built for its rows only, never for every row a sort goes through; and they are
   * chosen per public status, each an ordered range of the (status, publishedAt, id) index that stops at
   * `take`, where `status IN (…)` would read every public article and sort them.
   */
  function selectNewest(shape: ArticleShape, include: ReadonlySet<PublicInclude>, where: Sql, take: number): Sql {
    const newestOf = (status: string) =>
      sql`SELECT * FROM (SELECT a."id", a."publishedAt" FROM "Article" a WHERE a."status" = ${raw(`'${status}'`)} AND ${where}
        ${byNewest} LIMIT ${take}) ${raw(`"${status}"`)}`;
    return sql`SELECT ${join([columnsFor[shape], ...relationsFor(shape, include)])}
      FROM (SELECT p."id" FROM (${newestOf('published')} UNION ALL ${newestOf('scheduled')}) p
        ORDER BY p."publishedAt" DESC, p."id" DESC LIMIT ${take}) page
      JOIN "Article" a ON a."id" = page."id" ${byNewest}`;
  }

  /** A row read by `select`, in the shape Prisma gives with the same relations (the repository names its type). */
  function toRow(row: RawArticleRow): Record<string, unknown> {
    const { rubric, authors, tags, coverMedia, narrationMedia, bodyMedia, corrections, commentCount, ...columns } = row;
    return {
      ...columns,
      ...('commentCount' in row ? { commentCount: commentCount === null ? null : { count: Number(commentCount) } } : {}),
      corrections: (parseJsonValue<CorrectionJson[] | undefined>(corrections) ?? []).map((c) => ({
        ...c,
        publishedAt: jsonDate(c.publishedAt),
      })),
      rubric: toRubricRefRow(rubric),
      authors: (parseJsonValue<{ id: string; displayName: string; slug: string }[] | undefined>(authors) ?? []).map((user) => ({ user })),
      tags: (parseJsonValue<Ref[] | undefined>(tags) ?? []).map((tag) => ({ tag })),
      coverMedia: toMediaRow(parseJsonValue(coverMedia) ?? null),
      narrationMedia: toMediaRow(parseJsonValue(narrationMedia) ?? null),
      bodyMedia: (parseJsonValue<Parameters<typeof toMediaRow>[0][] | undefined>(bodyMedia) ?? []).map((media) => ({
        media: toMediaRow(media),
      })),
    };
  }

  return {
    /** Public at `now`, newest first, after the key: a page of the public list. */
    listPublished(
      take: number,
      now: Date,
      filter: PublicListFilter,
      key: [string, string] | undefined,
      include: ReadonlySet<PublicInclude>,
    ) {
      const after = key ? new Date(key[0]) : undefined;
      const where = join(
        [
          publicArticleSql(now, 'a'),
          filter.rubricSlug ? inRubricTreeOfSlug(filter.rubricSlug) : empty,
          filter.tagSlug
            ? sql`a."id" IN (SELECT t."articleId" FROM "ArticleTag" t JOIN "Tag" g ON g."id" = t."tagId" WHERE g."slug" = ${filter.tagSlug})`
            : empty,
          filter.authorSlug
            ? sql`a."id" IN (SELECT au."articleId" FROM "ArticleAuthor" au JOIN "User" u ON u."id" = au."userId" WHERE u."slug" = ${filter.authorSlug})`
            : empty,
          filter.from ? sql`a."publishedAt" >= ${filter.from}` : empty,
          filter.to ? sql`a."publishedAt" <= ${filter.to}` : empty,
          after && key ? sql`(a."publishedAt" < ${after} OR (a."publishedAt" = ${after} AND a."id" < ${key[1]}))` : empty,
        ].filter((c) => c !== empty),
        ' AND ',
      );
      return selectNewest('summary', include, where, take);
    },

    /** Public at `now` in the whole page's shape, newest first, of a rubric tree when given: a syndication feed's items. */
    listPublishedInFull(take: number, now: Date, rubricId: string | undefined, include: ReadonlySet<PublicInclude>) {
      const where = rubricId ? sql`${publicArticleSql(now, 'a')} AND ${inRubricTreeOfId(rubricId)}` : publicArticleSql(now, 'a');
      return selectNewest('page', include, where, take);
    },

    /** The articles of these ids public at `now`, with their body, in any order. */
    listPublishedByIds: (ids: string[], now: Date, include: ReadonlySet<PublicInclude>) =>
      select('summaryWithBody', include, sql`a."id" IN (${join(ids)}) AND ${publicArticleSql(now, 'a')}`),

    findPublishedBySlug: (slug: string, now: Date, include: ReadonlySet<PublicInclude>) =>
      select('page', include, sql`a."slug" = ${slug} AND ${publicArticleSql(now, 'a')}`),

    /** Public articles of the same rubric or with a tag in common, newest first. */
    listRelated(article: { id: string; rubricId: string | null }, now: Date, take: number, include: ReadonlySet<PublicInclude>) {
      const sharesTag = sql`a."id" IN (SELECT t2."articleId" FROM "ArticleTag" t2 WHERE t2."tagId" IN
        (SELECT t1."tagId" FROM "ArticleTag" t1 WHERE t1."articleId" = ${article.id}))`;
      const near = article.rubricId ? sql`(a."rubricId" = ${article.rubricId} OR ${sharesTag})` : sharesTag;
      return selectNewest('summary', include, sql`${publicArticleSql(now, 'a')} AND a."id" <> ${article.id} AND ${near}`, take);
    },

    /** An article whatever its status, unless in the trash: a preview. */
    findForPreview: (id: string, include: ReadonlySet<PublicInclude>) =>
      select('page', include, sql`a."id" = ${id} AND a."deletedAt" IS NULL`),

    toRow,
  };
}

export type PublicArticleSql = ReturnType<typeof createPublicArticleSql>;

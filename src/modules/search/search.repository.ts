import type { Prisma as PrismaClient, PrismaNamespace, PrismaTx } from '../../db/database.ts';
import { Prisma } from '../../generated/sqlite/client.ts';
import { publicArticleSql } from '../../shared/article-visibility.ts';
import { STEM_MIN_PREFIX, STEM_TOLERANCE } from './search.text.ts';

type Sql = PrismaNamespace.Sql;
const { sql, join, empty } = Prisma;

/** What a hit must also be: public at `now`, of the rubric (or a direct sub-rubric), published in the range. */
export interface SearchFilter {
  now: Date;
  rubricId?: string;
  from?: Date;
  to?: Date;
}

/** A hit's place in the ranking: higher score first, then newer, then the larger id. */
export interface RankKey {
  score: number;
  publishedAt: Date;
  articleId: string;
}

/** A row of one term's list: which word and which of its forms. */
export interface ListRow extends RankKey {
  word: number;
  list: number;
}

/** An article's score for one word of the query. */
export interface WordScoreRow {
  articleId: string;
  word: number;
  score: number;
}

// Terms are stored as UTF-8 bytes; 0xff never occurs in UTF-8, so `x + 0xff` is above every term starting with x.
const bytesOf = (term: string) => Buffer.from(term, 'utf8');
const textOf = (bytes: Uint8Array) => Buffer.from(bytes).toString('utf8');
const upperBoundOf = (prefix: string) => Buffer.concat([bytesOf(prefix), Buffer.from([0xff])]);
const termList = (terms: string[]) => join(terms.map(bytesOf));

// Raw results: SQLite gives computed integers as bigint, PostgreSQL counts as bigint.
const toNumber = (value: unknown) => Number(value);
const toDate = (value: unknown) => (value instanceof Date ? value : new Date(String(value)));

/** Rows written per INSERT, well under both databases' limits on bound parameters. */
const INSERT_CHUNK = 500;

function filterSql(filter: SearchFilter): Sql {
  const conditions = [
    publicArticleSql(filter.now, 'a'),
    // The rubric and its direct sub-rubrics, as the public article list filters them.
    filter.rubricId
      ? sql`(a."rubricId" = ${filter.rubricId} OR a."rubricId" IN (SELECT r."id" FROM "Rubric" r WHERE r."parentId" = ${filter.rubricId}))`
      : empty,
    filter.from ? sql`a."publishedAt" >= ${filter.from}` : empty,
    filter.to ? sql`a."publishedAt" <= ${filter.to}` : empty,
  ].filter((c) => c !== empty);
  return join(conditions, ' AND ');
}

/** `(score, publishedAt, id) < key`: ranked after the key. */
function rankedAfter(key: RankKey, score: Sql, publishedAt: Sql, id: Sql): Sql {
  return sql`(${score} < ${key.score} OR (${score} = ${key.score} AND (${publishedAt} < ${key.publishedAt}
    OR (${publishedAt} = ${key.publishedAt} AND ${id} < ${key.articleId}))))`;
}

const byRank = (score: Sql, publishedAt: Sql, id: Sql) => sql`ORDER BY ${score} DESC, ${publishedAt} DESC, ${id} DESC`;

export function createSearchRepository({ prisma }: { prisma: PrismaClient }) {
  /**
   * The best hits of one term, read off the index in rank order: only an article's best row among
   * `wordTerms` (the word's forms), only articles that pass the filter, only after `after`.
   */
  function termListSql(term: string, wordTerms: string[], filter: SearchFilter, take: number, after?: RankKey): Sql {
    const others = wordTerms.filter((t) => t !== term);
    const bestFormOnly = others.length
      ? sql`AND NOT EXISTS (SELECT 1 FROM "ArticleSearchTerm" o
          WHERE o."articleId" = s."articleId" AND o."term" IN (${termList(others)}) AND o."score" > s."score")`
      : empty;
    // The article is checked per row (EXISTS, not a join), so the index order drives and the scan stops at `take`.
    return sql`SELECT s."articleId", s."score", s."publishedAt" FROM "ArticleSearchTerm" s
      WHERE s."term" = ${bytesOf(term)} AND EXISTS (SELECT 1 FROM "Article" a WHERE a."id" = s."articleId" AND ${filterSql(filter)})
      ${bestFormOnly}
      ${after ? sql`AND ${rankedAfter(after, sql`s."score"`, sql`s."publishedAt"`, sql`s."articleId"`)}` : empty}
      ${byRank(sql`s."score"`, sql`s."publishedAt"`, sql`s."articleId"`)} LIMIT ${take}`;
  }

  const toKey = (row: { articleId: string; score: unknown; publishedAt: unknown }): RankKey => ({
    articleId: row.articleId,
    score: toNumber(row.score),
    publishedAt: toDate(row.publishedAt),
  });

  /** The statements that add an article's rows and their terms to the vocabulary, in order. */
  function insertTermsSql(articleId: string, scores: Map<string, number>, publishedAt: Date): Sql[] {
    const entries = [...scores];
    const statements: Sql[] = [];
    for (let i = 0; i < entries.length; i += INSERT_CHUNK) {
      const chunk = entries.slice(i, i + INSERT_CHUNK);
      statements.push(
        sql`INSERT INTO "ArticleSearchTerm" ("articleId", "term", "score", "publishedAt")
        VALUES ${join(chunk.map(([term, score]) => sql`(${articleId}, ${bytesOf(term)}, ${score}, ${publishedAt})`))}`,
        sql`INSERT INTO "SearchVocabulary" ("term", "length")
        VALUES ${join(chunk.map(([term]) => sql`(${bytesOf(term)}, ${term.length})`))}
        ON CONFLICT ("term") DO NOTHING`,
      );
    }
    return statements;
  }

  /** Adds an article's rows (the caller removed its old ones, or it had none) and their terms to the vocabulary. */
  async function insertTerms(tx: PrismaTx, articleId: string, scores: Map<string, number>, publishedAt: Date): Promise<void> {
    for (const statement of insertTermsSql(articleId, scores, publishedAt)) await tx.$executeRaw(statement);
  }

  return {
    /**
     * The indexed terms each query term finds: itself, the terms it starts (up to two letters more) and
     * the terms that start it (up to two letters less, three letters at least); one query for all.
     */
    async findMatchingTerms(queryTerms: string[]): Promise<string[][]> {
      const parts = queryTerms.map((q, i) => {
        const shorter = [1, 2].map((cut) => q.slice(0, q.length - cut)).filter((p) => p.length >= STEM_MIN_PREFIX);
        const isTolerant = q.length >= STEM_MIN_PREFIX && !/\p{N}/u.test(q);
        const lengths = Array.from({ length: STEM_TOLERANCE + 1 }, (_, n) => q.length + n);
        const orShorter = shorter.length ? sql` OR v."term" IN (${termList(shorter)})` : empty;
        const condition = isTolerant
          ? sql`(v."length" IN (${join(lengths)}) AND v."term" >= ${bytesOf(q)} AND v."term" < ${upperBoundOf(q)})${orShorter}`
          : sql`v."term" = ${bytesOf(q)}`;
        return sql`SELECT ${Prisma.raw(String(i))} AS "word", v."term" FROM "SearchVocabulary" v WHERE ${condition}`;
      });
      const rows = await prisma.$queryRaw<{ word: unknown; term: Uint8Array }[]>(join(parts, ' UNION ALL '));
      const found: string[][] = queryTerms.map(() => []);
      for (const row of rows) found[toNumber(row.word)]!.push(textOf(row.term));
      return found;
    },

    /** The top `take` articles for one word (its forms `terms`), after `after`: exact, one query. */
    async rankOneWord(terms: string[], filter: SearchFilter, take: number, after?: RankKey): Promise<RankKey[]> {
      const lists = terms.map((term, i) => sql`SELECT * FROM (${termListSql(term, terms, filter, take, after)}) AS ${Prisma.raw(`l${i}`)}`);
      const rows = await prisma.$queryRaw<{ articleId: string; score: unknown; publishedAt: unknown }[]>`
        SELECT x."articleId", MAX(x."score") AS "score", MAX(x."publishedAt") AS "publishedAt"
        FROM (${join(lists, ' UNION ALL ')}) AS x GROUP BY x."articleId"
        ORDER BY MAX(x."score") DESC, MAX(x."publishedAt") DESC, x."articleId" DESC LIMIT ${take}`;
      return rows.map(toKey);
    },

    /**
     * The first `take` rows of each term's list, for each word's forms, and for every article among them its
     * score for each word (null when it lacks the word): the candidates of a many-word query, in one query.
     */
    async readTermLists(
      termsByWord: string[][],
      filter: SearchFilter,
      take: number,
    ): Promise<{ lists: ListRow[]; scores: WordScoreRow[] }> {
      const lists = termsByWord.flatMap((terms, word) =>
        terms.map(
          (term, j) =>
            sql`SELECT ${Prisma.raw(String(word))} AS "word", ${Prisma.raw(String(j))} AS "list", t.*
              FROM (${termListSql(term, terms, filter, take)}) AS t`,
        ),
      );
      const wordScores = termsByWord.map(
        (terms, word) => sql`SELECT 1 AS "kind", ${Prisma.raw(String(word))} AS "word", 0 AS "list", c."articleId",
        (SELECT MAX(o."score") FROM "ArticleSearchTerm" o
          WHERE o."articleId" = c."articleId" AND o."term" IN (${termList(terms)})) AS "score",
        c."publishedAt" FROM c`,
      );
      const rows = await prisma.$queryRaw<
        { kind: unknown; word: unknown; list: unknown; articleId: string; score: unknown; publishedAt: unknown }[]
      >`
        WITH l AS MATERIALIZED (${join(lists, ' UNION ALL ')}),
        c AS (SELECT "articleId", MAX("publishedAt") AS "publishedAt" FROM l GROUP BY "articleId")
        SELECT 0 AS "kind", l."word", l."list", l."articleId", l."score", l."publishedAt" FROM l
        UNION ALL ${join(wordScores, ' UNION ALL ')}`;
      const result: { lists: ListRow[]; scores: WordScoreRow[] } = { lists: [], scores: [] };
      for (const row of rows) {
        if (toNumber(row.kind) === 0) result.lists.push({ ...toKey(row), word: toNumber(row.word), list: toNumber(row.list) });
        else if (row.score !== null) result.scores.push({ articleId: row.articleId, word: toNumber(row.word), score: toNumber(row.score) });
      }
      return result;
    },

    /** How many rows each word's terms have at or above its threshold, counted up to `cap`. */
    async countRowsAbove(termsByWord: string[][], thresholds: number[], cap: number): Promise<number[]> {
      const parts = termsByWord.map(
        (terms, word) => sql`SELECT ${Prisma.raw(String(word))} AS "word", COUNT(*) AS "n"
        FROM (SELECT 1 AS "one" FROM "ArticleSearchTerm"
          WHERE "term" IN (${termList(terms)}) AND "score" >= ${thresholds[word]} LIMIT ${cap})
        AS ${Prisma.raw(`c${word}`)}`,
      );
      const rows = await prisma.$queryRaw<{ word: unknown; n: unknown }[]>(join(parts, ' UNION ALL '));
      const counts = termsByWord.map(() => 0);
      for (const row of rows) counts[toNumber(row.word)] = toNumber(row.n);
      return counts;
    },

    /**
     * The exact top `take` of a many-word query among the articles that reach every word's threshold:
     * read from the rows of `driver` at or above its threshold, the other words looked up per article.
     */
    async rankAboveThresholds(
      termsByWord: string[][],
      thresholds: number[],
      driver: number,
      filter: SearchFilter,
      take: number,
      after?: RankKey,
    ): Promise<RankKey[]> {
      const others = termsByWord.flatMap((terms, word) => (word === driver ? [] : [{ terms, word }]));
      if (!others.length) throw new Error('rankAboveThresholds is for queries of two words or more');
      const driverTerms = termsByWord[driver]!;
      const column = (word: number) => Prisma.raw(`"s${word}"`);
      const scoreOf = (terms: string[]) =>
        sql`(SELECT MAX(o."score") FROM "ArticleSearchTerm" o WHERE o."articleId" = d."articleId" AND o."term" IN (${termList(terms)}))`;
      // One form: one row per article, no grouping needed.
      const driverRows =
        driverTerms.length === 1
          ? sql`SELECT s."articleId", s."score" AS "s", s."publishedAt" FROM "ArticleSearchTerm" s
              WHERE s."term" = ${bytesOf(driverTerms[0]!)} AND s."score" >= ${thresholds[driver]}`
          : sql`SELECT s."articleId", MAX(s."score") AS "s", MAX(s."publishedAt") AS "publishedAt" FROM "ArticleSearchTerm" s
              WHERE s."term" IN (${termList(driverTerms)}) AND s."score" >= ${thresholds[driver]} GROUP BY s."articleId"`;
      const total = join([sql`e."s"`, ...others.map(({ word }) => sql`e.${column(word)}`)], ' + ');
      const otherScores = join(others.map(({ terms, word }) => sql`${scoreOf(terms)} AS ${column(word)}`));
      // MATERIALIZED: each article's lookups run once, not again for the filter and the order.
      const rows = await prisma.$queryRaw<{ articleId: string; score: unknown; publishedAt: unknown }[]>`
        WITH d AS (${driverRows}),
        e AS MATERIALIZED (SELECT d."articleId", d."publishedAt", d."s", ${otherScores} FROM d)
        SELECT e."articleId", ${total} AS "score", e."publishedAt" FROM e
        WHERE ${join(
          others.map(({ word }) => sql`e.${column(word)} >= ${thresholds[word]}`),
          ' AND ',
        )}
          AND EXISTS (SELECT 1 FROM "Article" a WHERE a."id" = e."articleId" AND ${filterSql(filter)})
          ${after ? sql`AND ${rankedAfter(after, sql`(${total})`, sql`e."publishedAt"`, sql`e."articleId"`)}` : empty}
        ${byRank(sql`(${total})`, sql`e."publishedAt"`, sql`e."articleId"`)} LIMIT ${take}`;
      return rows.map(toKey);
    },

    /** The searchable text of an article as the transaction sees it, with what decides whether it is indexed. */
    findArticleText: (tx: PrismaTx, articleId: string) =>
      tx.article.findUnique({
        where: { id: articleId },
        select: {
          title: true,
          lead: true,
          body: true,
          publishedAt: true,
          deletedAt: true,
          tags: { select: { tag: { select: { name: true } } } },
          // A live blog is found by the words of its entries too.
          liveEntries: { where: { deletedAt: null }, select: { title: true, body: true } },
        },
      }),

    /**
     * Replaces an article's rows with these (none: the article leaves the index). The caller holds the
     * article's row lock (its own write, or lockArticles), so no other transaction writes them meanwhile.
     */
    async replaceTerms(tx: PrismaTx, articleId: string, scores: Map<string, number>, publishedAt: Date): Promise<void> {
      await tx.articleSearchTerm.deleteMany({ where: { articleId } });
      await insertTerms(tx, articleId, scores, publishedAt);
    },

    /** Writes the rows of an article that has none (one just created in this transaction). */
    insertTerms,

    /** insertTerms as statements not yet run, for a batch transaction that creates the article (`prisma.$transaction([...])`). */
    insertTermsStatements: (articleId: string, scores: Map<string, number>, publishedAt: Date): PrismaNamespace.PrismaPromise<number>[] =>
      insertTermsSql(articleId, scores, publishedAt).map((statement) => prisma.$executeRaw(statement)),

    /** The articles with the tag that have a place in the index. */
    findIndexedWithTag: async (tx: PrismaTx, tagId: string): Promise<string[]> =>
      (
        await tx.article.findMany({
          where: { tags: { some: { tagId } }, publishedAt: { not: null }, deletedAt: null },
          select: { id: true },
          orderBy: { id: 'asc' },
        })
      ).map((a) => a.id),

    /**
     * Takes the articles' row locks (a write that changes nothing), so that saving one of them waits for
     * this transaction rather than indexing it alongside.
     */
    async lockArticles(tx: PrismaTx, ids: string[]): Promise<void> {
      if (ids.length) await tx.$executeRaw`UPDATE "Article" SET "version" = "version" WHERE "id" IN (${join(ids)})`;
    },

    /** Up to `take` articles that should be in the index and have no row there, by id after `afterId`. */
    findUnindexed: async (take: number, afterId: string | undefined): Promise<string[]> =>
      (
        await prisma.article.findMany({
          where: { publishedAt: { not: null }, deletedAt: null, searchTerms: { none: {} }, ...(afterId ? { id: { gt: afterId } } : {}) },
          select: { id: true },
          orderBy: { id: 'asc' },
          take,
        })
      ).map((a) => a.id),

    inTransaction: <T>(fn: (tx: PrismaTx) => Promise<T>): Promise<T> => prisma.$transaction(fn),
  };
}

export type SearchRepository = ReturnType<typeof createSearchRepository>;

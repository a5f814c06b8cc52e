import type { PrismaTx } from '../../db/database.ts';
import { bodyTextsOf } from '../../shared/article-text.ts';
import { decodeCursor, isCursorDate, encodeCursor, type Page } from '../../shared/cursor.ts';
import type { CreatedArticleText, SearchIndexer } from '../../shared/search-indexer.ts';
import type { ArticlesService } from '../articles/index.ts';
import type { RubricsService } from '../rubrics/index.ts';
import { termScoresOf } from './search.document.ts';
import { rankArticles } from './search.ranking.ts';
import type { RankKey, SearchRepository } from './search.repository.ts';
import type { SearchHitResponse, SearchInput } from './search.schemas.ts';
import { buildSnippet } from './search.snippet.ts';
import { queryTerms, termsMatch } from './search.text.ts';

/** Words of a query that count; the rest are ignored. */
export const MAX_QUERY_WORDS = 8;
/** Indexed forms looked up per query word, the closest first. */
const MAX_FORMS_PER_WORD = 8;
/** Articles indexed per transaction when the index is filled at start-up. */
const BACKFILL_BATCH = 100;

type SearchKey = [score: number, publishedAt: string, id: string];
// Scores are small sums of field weights; a forged cursor out of range is refused rather than sent to the database.
const isSearchKey = (v: unknown[]): v is SearchKey =>
  v.length === 3 &&
  Number.isInteger(v[0]) &&
  (v[0] as number) >= 0 &&
  (v[0] as number) <= 1_000_000 &&
  isCursorDate(v[1]) &&
  typeof v[2] === 'string';

/** The forms of a query term worth looking up: the term itself first, then by how little they differ. */
function closestForms(query: string, indexed: string[]): string[] {
  return indexed
    .filter((term) => termsMatch(query, term))
    .sort((a, b) => Math.abs(a.length - query.length) - Math.abs(b.length - query.length) || (a < b ? -1 : 1))
    .slice(0, MAX_FORMS_PER_WORD);
}

/** The body of an article followed by its live entries' titles and blocks, which count as body text. */
function withLiveEntries(row: { body: unknown; liveEntries: { title: string | null; body: unknown }[] }): unknown[] {
  const body = Array.isArray(row.body) ? row.body : [];
  if (!row.liveEntries.length) return body;
  return [
    ...body,
    ...row.liveEntries.flatMap((entry) => [
      ...(entry.title ? [{ type: 'paragraph', text: entry.title }] : []),
      ...(Array.isArray(entry.body) ? entry.body : []),
    ]),
  ];
}

/** The index rows of an article just created: it has no live entries yet. */
function createdArticleScores(article: CreatedArticleText): Map<string, number> {
  return termScoresOf({
    title: article.title,
    lead: article.lead,
    body: withLiveEntries({ body: article.body, liveEntries: [] }),
    tagNames: article.tagNames,
  });
}

/**
 * Keeps the search index in step with the articles: every article write calls `reindexArticle` in its
 * transaction, a tag's rename or deletion reindexes the articles that carry it.
 */
export function createSearchIndexer(deps: { repo: SearchRepository }): SearchIndexer {
  const { repo } = deps;
  async function reindexArticle(tx: PrismaTx, articleId: string): Promise<void> {
    const row = await repo.findArticleText(tx, articleId);
    // Only an article with a publication time can be public; drafts and the trash are kept out.
    const isIndexed = row?.publishedAt && !row.deletedAt;
    const scores = isIndexed
      ? termScoresOf({ title: row.title, lead: row.lead, body: withLiveEntries(row), tagNames: row.tags.map((t) => t.tag.name) })
      : new Map<string, number>();
    await repo.replaceTerms(tx, articleId, scores, row?.publishedAt ?? new Date(0));
  }

  return {
    reindexArticle,

    async indexCreatedArticle(tx: PrismaTx, article: CreatedArticleText): Promise<void> {
      if (!article.publishedAt || article.deletedAt) return;
      await repo.insertTerms(tx, article.id, createdArticleScores(article), article.publishedAt);
    },

    createdArticleStatements(article: CreatedArticleText) {
      if (!article.publishedAt || article.deletedAt) return [];
      return repo.insertTermsStatements(article.id, createdArticleScores(article), article.publishedAt);
    },

    async reindexAfterTagChange(tx: PrismaTx, tagId: string, change: () => Promise<boolean>): Promise<boolean> {
      const articleIds = await repo.findIndexedWithTag(tx, tagId);
      await repo.lockArticles(tx, articleIds);
      const isChanged = await change();
      if (isChanged) for (const id of articleIds) await reindexArticle(tx, id);
      return isChanged;
    },

    // A database from before search, or written by an older version: run at start-up.
    async indexMissing(): Promise<number> {
      let done = 0;
      let afterId: string | undefined;
      for (;;) {
        const ids = await repo.findUnindexed(BACKFILL_BATCH, afterId);
        if (!ids.length) return done;
        await repo.inTransaction(async (tx) => {
          // Another instance may be saving one of them: its index rows are written under the same lock.
          await repo.lockArticles(tx, ids);
          for (const id of ids) await reindexArticle(tx, id);
        });
        done += ids.length;
        afterId = ids.at(-1);
      }
    },
  };
}

export function createSearchService(deps: {
  repo: SearchRepository;
  articles: Pick<ArticlesService, 'findPublicByIds'>;
  rubrics: Pick<RubricsService, 'findActiveIdBySlug'>;
  now: () => Date;
}) {
  const { repo } = deps;
  const nothing: Page<SearchHitResponse> = { items: [], nextCursor: null };

  return {
    async search(query: SearchInput): Promise<Page<SearchHitResponse>> {
      const cursor = query.cursor ? decodeCursor(query.cursor, isSearchKey) : undefined;
      const after: RankKey | undefined = cursor && { score: cursor[0], publishedAt: new Date(cursor[1]), articleId: cursor[2] };
      const terms = queryTerms(query.q, MAX_QUERY_WORDS);
      // Only function words or punctuation: nothing to look for.
      if (!terms.length) return nothing;
      const [rubricId, indexedForms] = await Promise.all([
        query.rubric ? deps.rubrics.findActiveIdBySlug(query.rubric) : undefined,
        repo.findMatchingTerms(terms),
      ]);
      if (rubricId === null) return nothing;
      const termsByWord = terms.map((term, i) => closestForms(term, indexedForms[i]!));
      if (termsByWord.some((forms) => !forms.length)) return nothing;

      const filter = {
        now: deps.now(),
        ...(rubricId ? { rubricId } : {}),
        ...(query.from ? { from: new Date(query.from) } : {}),
        ...(query.to ? { to: new Date(query.to) } : {}),
      };
      const ranked = await rankArticles(repo, termsByWord, filter, query.limit + 1, after);
      const page = ranked.slice(0, query.limit);
      const articles = new Map((await deps.articles.findPublicByIds(page.map((r) => r.articleId))).map((a) => [a.summary.id, a]));
      // An article taken down between the two reads is left out of the page.
      const items = page.flatMap((hit): SearchHitResponse[] => {
        const article = articles.get(hit.articleId);
        if (!article) return [];
        const passages = [article.summary.lead ?? '', ...bodyTextsOf(article.body)];
        return [{ ...article.summary, snippet: buildSnippet(passages, terms), score: hit.score }];
      });
      const last = page.at(-1);
      return {
        items,
        nextCursor: ranked.length > query.limit && last ? encodeCursor([last.score, last.publishedAt.toISOString(), last.articleId]) : null,
      };
    },
  };
}

export type SearchService = ReturnType<typeof createSearchService>;

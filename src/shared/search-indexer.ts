import type { PrismaNamespace, PrismaTx } from '../db/database.ts';

type PrismaPromise<T> = PrismaNamespace.PrismaPromise<T>;

/**
 * The index half of search, as the modules that write what is searched call it in their own transactions.
 * Here rather than in the search module, which reads the articles service: articles and tags call it without
 * depending on search.
 */
export interface SearchIndexer {
  /** Rewrites an article's index entry from the article as this transaction sees it. */
  reindexArticle(tx: PrismaTx, articleId: string): Promise<void>;
  /**
   * Indexes an article this transaction has just created, from what the caller wrote rather than by reading it back:
   * the rows `reindexArticle` would write (a new article has no index rows and no live entries yet).
   */
  indexCreatedArticle(tx: PrismaTx, article: CreatedArticleText): Promise<void>;
  /**
   * The statements indexCreatedArticle would run, not run yet: for a batch transaction (`prisma.$transaction([...])`)
   * that inserts the article before them. None for an article that is not indexed.
   */
  createdArticleStatements(article: CreatedArticleText): PrismaPromise<number>[];
  /** Runs a tag's rename or deletion and reindexes the articles that carried the tag, when it happened. */
  reindexAfterTagChange(tx: PrismaTx, tagId: string, change: () => Promise<boolean>): Promise<boolean>;
  /** Indexes the articles that should be in the index and are not; answers how many it looked at. */
  indexMissing(): Promise<number>;
}

/** What the search index reads of an article just created: its texts, its tags' names, and whether it can be public. */
export interface CreatedArticleText {
  id: string;
  title: string;
  lead: string | null;
  /** The stored body blocks. */
  body: unknown;
  tagNames: string[];
  publishedAt: Date | null;
  deletedAt: Date | null;
}

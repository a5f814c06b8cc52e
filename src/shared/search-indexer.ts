import type { PrismaTx } from '../db/database.ts';

/**
 * The index half of search, as the modules that write what is searched call it in their own transactions.
 * Here rather than in the search module, which reads the articles service: articles and tags call it without
 * depending on search.
 */
export interface SearchIndexer {
  /** Rewrites an article's index entry from the article as this transaction sees it. */
  reindexArticle(tx: PrismaTx, articleId: string): Promise<void>;
  /** Runs a tag's rename or deletion and reindexes the articles that carried the tag, when it happened. */
  reindexAfterTagChange(tx: PrismaTx, tagId: string, change: () => Promise<boolean>): Promise<boolean>;
  /** Indexes the articles that should be in the index and are not; answers how many it looked at. */
  indexMissing(): Promise<number>;
}

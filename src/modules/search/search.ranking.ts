import type { RankKey, SearchFilter, SearchRepository, WordScoreRow } from './search.repository.ts';

/**
 * The ranking: an article's score for a word is the best score among the rows of the word's forms
 * (title 8, tag 4, lead 2, body 1, added up per row); its score for the query is the sum over the
 * words, and every word must be there. Ties go to the newer article, then the larger id.
 *
 * The index is ordered by (term, score, publishedAt), so one word is ranked by reading just the top of
 * each form's list. Several words are ranked like a threshold algorithm: the tops of the lists give
 * candidates and a provisional last place; an article not among them can only reach that place if it
 * has each word at a score that is at least the place's score minus the best the other words can add,
 * and those rows are read to settle it. A common word thus costs the rows of its best fields, not all
 * of its rows.
 */

const isAfter = (key: RankKey, after: RankKey | undefined) => !after || compareKeys(key, after) > 0;

/** Descending rank order: negative when `a` ranks first. */
export function compareKeys(a: RankKey, b: RankKey): number {
  return (
    b.score - a.score ||
    b.publishedAt.getTime() - a.publishedAt.getTime() ||
    (a.articleId < b.articleId ? 1 : a.articleId > b.articleId ? -1 : 0)
  );
}

/** Rows counted per word to pick the one to read the candidates from; a cap keeps counting cheap. */
const COUNT_CAP = 100_000;

/** The first `take` articles ranked after `after` that have every word, each word given as its indexed forms. */
export async function rankArticles(
  repo: SearchRepository,
  termsByWord: string[][],
  filter: SearchFilter,
  take: number,
  after?: RankKey,
): Promise<RankKey[]> {
  if (termsByWord.length === 1) return repo.rankOneWord(termsByWord[0]!, filter, take, after);

  // Reading twice the page from each list usually settles the page by the bound below, without the second pass.
  const depth = 2 * take;
  const { lists: listRows, scores } = await repo.readTermLists(termsByWord, filter, depth);
  const lists = new Map<string, RankKey[]>();
  for (const row of listRows) {
    const id = `${row.word}:${row.list}`;
    lists.set(id, [...(lists.get(id) ?? []), row]);
  }
  const wordIds = termsByWord.map((terms, word) => terms.map((_, list) => `${word}:${list}`));
  const rowsOf = (id: string) => lists.get(id) ?? [];
  // A word no public article has: nothing has them all.
  if (wordIds.some((ids) => ids.every((id) => !rowsOf(id).length))) return [];
  const best = wordIds.map((ids) => Math.max(...ids.flatMap((id) => rowsOf(id).map((r) => r.score))));

  const found = scoreCandidates(listRows, scores, termsByWord.length)
    .filter((key) => isAfter(key, after))
    .sort(compareKeys);

  // A list that ended before `depth` rows was read whole; a word whose lists all ended has shown every article that has it.
  const isRead = (id: string) => rowsOf(id).length < depth;
  if (wordIds.some((ids) => ids.every(isRead))) return found.slice(0, take);

  const last = found.length >= take ? found[take - 1]! : undefined;
  if (last) {
    // The most an unseen article can score: for each word, the last score read in its unfinished lists.
    const openLists = wordIds.map((ids) => ids.filter((id) => !isRead(id)));
    const ceiling = openLists.reduce((sum, ids) => sum + Math.max(0, ...ids.map((id) => rowsOf(id).at(-1)!.score)), 0);
    const newestUnread = Math.max(...openLists.flat().map((id) => rowsOf(id).at(-1)!.publishedAt.getTime()));
    if (last.score > ceiling || (last.score === ceiling && last.publishedAt.getTime() > newestUnread)) return found.slice(0, take);
  }

  // What each word must score for an article to reach the last place found (any, when fewer were found).
  const total = best.reduce((a, b) => a + b, 0);
  const thresholds = best.map((b) => Math.max(1, (last?.score ?? 0) - (total - b)));
  const counts = await repo.countRowsAbove(termsByWord, thresholds, COUNT_CAP);
  const driver = counts.indexOf(Math.min(...counts));
  return repo.rankAboveThresholds(termsByWord, thresholds, driver, filter, take, after);
}

/** Each candidate's rank key from its score for each word; candidates missing a word are left out. */
function scoreCandidates(listRows: RankKey[], scores: WordScoreRow[], wordCount: number): RankKey[] {
  const perArticle = new Map<string, { publishedAt: Date; scores: number[] }>();
  for (const row of listRows) perArticle.set(row.articleId, { publishedAt: row.publishedAt, scores: Array<number>(wordCount).fill(0) });
  for (const { articleId, word, score } of scores) perArticle.get(articleId)!.scores[word] = score;
  return [...perArticle].flatMap(([articleId, { publishedAt, scores: byWord }]) =>
    byWord.every((s) => s > 0) ? [{ articleId, publishedAt, score: byWord.reduce((a, b) => a + b, 0) }] : [],
  );
}

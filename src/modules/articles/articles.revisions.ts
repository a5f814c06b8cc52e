import type { ArticleBlockInput } from '../../shared/article-blocks.schemas.ts';
import { toArticleResponse } from './articles.mapper.ts';
import type { ArticleRow } from './articles.repository.ts';
import { RevisionContentSchema, type RevisionContent, type RevisionDiffResponse } from './articles.schemas.ts';

// The content fields, in the order a revision stores them (its diff lists changed fields in this order).
const contentFields = Object.keys(RevisionContentSchema.shape) as (keyof RevisionContent)[];

/** The content of an article as a revision keeps it: everything an editor saves, nothing of its workflow state. */
export function contentOf(row: ArticleRow): RevisionContent {
  const article = toArticleResponse(row);
  return Object.fromEntries(contentFields.map((name) => [name, article[name]])) as RevisionContent;
}

const sameJson = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

type BlockChange = RevisionDiffResponse['blocks'][number];

/**
 * A block-level diff of two bodies: the longest common run of identical blocks is kept, and what is left
 * between two kept blocks is paired up as changed, the surplus added or removed.
 */
export function diffBlocks(from: ArticleBlockInput[], to: ArticleBlockInput[]): BlockChange[] {
  const keys = (blocks: ArticleBlockInput[]) => blocks.map((b) => JSON.stringify(b));
  const [a, b] = [keys(from), keys(to)];
  // lcs[i][j]: the length of the longest common subsequence of a[i..] and b[j..].
  const lcs = Array.from({ length: a.length + 1 }, () => new Array<number>(b.length + 1).fill(0));
  for (let i = a.length - 1; i >= 0; i--) {
    for (let j = b.length - 1; j >= 0; j--) {
      lcs[i]![j] = a[i] === b[j] ? lcs[i + 1]![j + 1]! + 1 : Math.max(lcs[i + 1]![j]!, lcs[i]![j + 1]!);
    }
  }
  const changes: BlockChange[] = [];
  let removed: number[] = [];
  let added: number[] = [];
  const flush = () => {
    const paired = Math.min(removed.length, added.length);
    for (let k = 0; k < paired; k++)
      changes.push({ change: 'changed', fromIndex: removed[k]!, toIndex: added[k]!, from: from[removed[k]!]!, to: to[added[k]!]! });
    for (const i of removed.slice(paired)) changes.push({ change: 'removed', fromIndex: i, toIndex: null, from: from[i]!, to: null });
    for (const j of added.slice(paired)) changes.push({ change: 'added', fromIndex: null, toIndex: j, from: null, to: to[j]! });
    removed = [];
    added = [];
  };
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    if (i < a.length && j < b.length && a[i] === b[j]) {
      flush();
      i++;
      j++;
    } else if (j >= b.length || (i < a.length && lcs[i + 1]![j]! >= lcs[i]![j + 1]!)) {
      removed.push(i++);
    } else {
      added.push(j++);
    }
  }
  flush();
  return changes;
}

/** The fields (other than the body) whose values differ between two revisions, and the body's block changes. */
export function diffContents(from: RevisionContent, to: RevisionContent): Pick<RevisionDiffResponse, 'fields' | 'blocks'> {
  const names = Object.keys(from) as (keyof RevisionContent)[];
  const fields = names
    .filter((name) => name !== 'body' && !sameJson(from[name], to[name]))
    .map((name) => ({ field: name, from: from[name], to: to[name] }));
  return { fields, blocks: diffBlocks(from.body, to.body) };
}

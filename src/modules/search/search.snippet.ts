import { termOf, termsMatch, wordsOf, type WordAt } from './search.text.ts';

/** About how many characters of text a snippet shows. */
export const SNIPPET_LENGTH = 200;
// How much text comes before the first highlighted word, so it reads in context.
const LEAD_IN = 60;

const htmlEscapes: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
export const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => htmlEscapes[c]!);

interface Hit {
  word: WordAt;
  /** Index of the query term it matches. */
  termIndex: number;
}

/** The words of a passage that match a query term. */
function hitsIn(passage: string, queryTerms: string[]): Hit[] {
  const hits: Hit[] = [];
  for (const word of wordsOf(passage)) {
    // A word can only match when it starts like the query term (stems are cut from the word's start): most
    // words are skipped without stemming them.
    const candidates = queryTerms.flatMap((q, i) => (word.folded.startsWith(q.slice(0, 3)) ? [i] : []));
    if (!candidates.length) continue;
    const term = termOf(word.folded);
    if (term === null) continue;
    const termIndex = candidates.find((i) => termsMatch(queryTerms[i]!, term));
    if (termIndex !== undefined) hits.push({ word, termIndex });
  }
  return hits;
}

const distinctTerms = (hits: Hit[]) => new Set(hits.map((h) => h.termIndex)).size;

/** Where a window of the passage starts and ends: whole words, around the hits. */
function windowOf(passage: string, hits: Hit[]): { start: number; end: number } {
  if (passage.length <= SNIPPET_LENGTH) return { start: 0, end: passage.length };
  // The window that shows the most different query words, the earliest of equals.
  let best = { start: 0, count: -1 };
  for (const hit of hits.length ? hits : [undefined]) {
    const start = hit ? Math.max(0, Math.min(hit.word.start - LEAD_IN, passage.length - SNIPPET_LENGTH)) : 0;
    const count = distinctTerms(hits.filter((h) => h.word.start >= start && h.word.end <= start + SNIPPET_LENGTH));
    if (count > best.count) best = { start, count };
  }
  const words = wordsOf(passage);
  const first = words.find((w) => w.start >= best.start);
  const start = best.start === 0 ? 0 : (first?.start ?? best.start);
  const inside = words.filter((w) => w.start >= start && w.end <= start + SNIPPET_LENGTH);
  const end = inside.at(-1)?.end ?? Math.min(passage.length, start + SNIPPET_LENGTH);
  // Punctuation right after the last word belongs to it (a full stop, a closing quote).
  const tail = /^[.!?»")\]…]*/u.exec(passage.slice(end))?.[0] ?? '';
  return { start, end: end + tail.length };
}

/**
 * A short passage of the text around the query's words, as HTML: the text escaped, each word that
 * matches a query term (in any of its forms) wrapped in `<mark>`, an ellipsis where the passage is cut.
 * Taken from the passage (lead, then body blocks) that holds the most different query words; when none
 * does (the article matched by its title or a tag), from the beginning of the first passage.
 */
export function buildSnippet(passages: string[], queryTerms: string[]): string {
  const texts = passages.map((p) => p.trim()).filter(Boolean);
  if (!texts.length) return '';
  let chosen = { text: texts[0]!, hits: [] as Hit[], count: 0 };
  for (const text of texts) {
    const hits = hitsIn(text, queryTerms);
    const count = distinctTerms(hits);
    if (count > chosen.count) chosen = { text, hits, count };
    if (count === queryTerms.length) break;
  }
  const { text, hits } = chosen;
  const { start, end } = windowOf(text, hits);
  let html = start > 0 ? '…' : '';
  let at = start;
  for (const { word } of hits) {
    if (word.start < start || word.end > end) continue;
    html += `${escapeHtml(text.slice(at, word.start))}<mark>${escapeHtml(text.slice(word.start, word.end))}</mark>`;
    at = word.end;
  }
  html += escapeHtml(text.slice(at, end));
  return end < text.length ? `${html}…` : html;
}

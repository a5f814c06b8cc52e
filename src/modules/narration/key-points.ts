import type { ArticleBlockInput } from '../../shared/article-blocks.schemas.ts';

/** A sentence of the body offered as a key point, with where it is so that an editor's tool can highlight it. */
export interface KeyPointSuggestion {
  text: string;
  /** The body block it is in. */
  blockIndex: number;
  /** For a list, the item it is in; null otherwise. */
  itemIndex: number | null;
  /** Offsets in the block's text (or the item's), in UTF-16 code units, end exclusive. */
  start: number;
  end: number;
  score: number;
}

interface Sentence {
  text: string;
  blockIndex: number;
  itemIndex: number | null;
  start: number;
  end: number;
  terms: Set<string>;
}

export interface Stemming {
  wordsOf: (text: string) => { folded: string }[];
  termOf: (folded: string) => string | null;
}

const damping = 0.85;
const iterations = 50;
// Shorter sentences rarely say what the story is about («Об этом сообщили в мэрии.»).
const minTerms = 4;

/** Sentences end at . ! ? … followed by a space and a capital, a digit or a quotation mark; abbreviations like «г.» rarely are. */
function sentencesOf(text: string): { start: number; end: number }[] {
  const spans: { start: number; end: number }[] = [];
  const boundary = /[.!?…]+["»)]*(?=\s+["«(\p{Lu}\d—–-])/gu;
  let start = 0;
  for (const match of text.matchAll(boundary)) {
    const end = match.index + match[0].length;
    spans.push({ start, end });
    start = end;
  }
  spans.push({ start, end: text.length });
  return spans
    .map(({ start: s, end: e }) => {
      let from = s;
      while (from < e && /\s/.test(text[from]!)) from++;
      return { start: from, end: e };
    })
    .filter(({ start: s, end: e }) => e > s);
}

/**
 * Up to `limit` sentences of the body ranked by TextRank: a graph of sentences weighted by the stemmed
 * words they share (normalised by their lengths), scored by PageRank. Paragraphs, quotes and list items
 * are candidates; headings are not. Deterministic: ties go to the earlier sentence.
 */
export function suggestKeyPoints(body: readonly ArticleBlockInput[], stemming: Stemming, limit = 5): KeyPointSuggestion[] {
  const sentences: Sentence[] = [];
  const add = (text: string, blockIndex: number, itemIndex: number | null) => {
    for (const span of sentencesOf(text)) {
      const sentenceText = text.slice(span.start, span.end).trimEnd();
      const terms = new Set(
        stemming
          .wordsOf(sentenceText)
          .map((w) => stemming.termOf(w.folded))
          .filter((t): t is string => t !== null),
      );
      if (terms.size >= minTerms)
        sentences.push({ text: sentenceText, blockIndex, itemIndex, start: span.start, end: span.start + sentenceText.length, terms });
    }
  };
  for (const [blockIndex, block] of body.entries()) {
    if (block.type === 'paragraph' || block.type === 'quote') add(block.text, blockIndex, null);
    else if (block.type === 'list') for (const [itemIndex, item] of block.items.entries()) add(item, blockIndex, itemIndex);
  }
  const n = sentences.length;
  if (n === 0) return [];

  const weights: number[][] = sentences.map(() => new Array<number>(n).fill(0));
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let shared = 0;
      for (const term of sentences[i]!.terms) if (sentences[j]!.terms.has(term)) shared++;
      if (shared === 0) continue;
      const weight = shared / (Math.log(sentences[i]!.terms.size + 1) + Math.log(sentences[j]!.terms.size + 1));
      weights[i]![j] = weight;
      weights[j]![i] = weight;
    }
  }
  const outSums = weights.map((row) => row.reduce((sum, w) => sum + w, 0));
  let scores = new Array<number>(n).fill(1 / n);
  for (let step = 0; step < iterations; step++) {
    scores = scores.map((_, i) => {
      let incoming = 0;
      for (let j = 0; j < n; j++) if (weights[j]![i]! > 0) incoming += (weights[j]![i]! / outSums[j]!) * scores[j]!;
      return (1 - damping) / n + damping * incoming;
    });
  }
  return sentences
    .map((s, i) => ({ s, score: scores[i]!, order: i }))
    .sort((a, b) => b.score - a.score || a.order - b.order)
    .slice(0, limit)
    .map(({ s, score }) => ({
      text: s.text,
      blockIndex: s.blockIndex,
      itemIndex: s.itemIndex,
      start: s.start,
      end: s.end,
      score: Math.round(score * 1e6) / 1e6,
    }));
}

import { createRequire } from 'node:module';
import { foldForSearch } from '../../shared/article-text.ts';

/**
 * Words and their search terms: the same normalisation for what is indexed, what is asked and what a
 * snippet highlights. A term is a Snowball stem of the lower-cased word with ё read as е (Russian
 * stemmer for Cyrillic words, English for Latin ones); a word with digits is kept as it is.
 */

interface Stemmer {
  stem(word: string): string;
}

// snowball-stemmers is CommonJS without types.
const { newStemmer } = createRequire(import.meta.url)('snowball-stemmers') as { newStemmer(language: string): Stemmer };
const russian = newStemmer('russian');
const english = newStemmer('english');

/** Longest word kept, in letters; the rest of a longer one is cut off. */
export const TERM_MAX_LENGTH = 40;

/** Two stems match when one starts with the other and they differ by at most this many letters. */
export const STEM_TOLERANCE = 2;

/** The shorter stem of a tolerant match has at least this many letters; shorter stems must be equal. */
export const STEM_MIN_PREFIX = 3;

// Function words that would match nearly every article; neither indexed nor asked for.
const stopWords = new Set([
  'а',
  'без',
  'бы',
  'в',
  'во',
  'да',
  'для',
  'до',
  'же',
  'за',
  'и',
  'из',
  'или',
  'к',
  'ко',
  'ли',
  'на',
  'над',
  'не',
  'ни',
  'но',
  'о',
  'об',
  'обо',
  'от',
  'по',
  'под',
  'при',
  'про',
  'с',
  'со',
  'то',
  'у',
  'что',
  'чтобы',
  'это',
  'a',
  'an',
  'and',
  'are',
  'as',
  'at',
  'be',
  'by',
  'for',
  'from',
  'in',
  'is',
  'it',
  'of',
  'on',
  'or',
  'that',
  'the',
  'this',
  'to',
  'was',
  'with',
]);

const wordPattern = /[\p{L}\p{M}\p{N}]+/gu;
const cyrillic = /\p{Script=Cyrillic}/u;
const latinOnly = /^[\p{Script=Latin}\p{M}]+$/u;
const digit = /\p{N}/u;
const combiningMarks = /\p{M}/gu;

/** A word of a text with where it is, for highlighting. */
export interface WordAt {
  /** The word as folded: lower case, ё as е. */
  folded: string;
  start: number;
  end: number;
}

const plainWord = /^[0-9A-Za-z\u0400-\u04FF]+$/;

/** Lower case, ё as е; Latin letters lose their accents (café → cafe), Cyrillic keeps й. */
export function foldWord(word: string): string {
  // Most words are plain Cyrillic or ASCII: nothing to normalise (the costly part of highlighting).
  if (plainWord.test(word)) return foldForSearch(word);
  const lower = foldForSearch(word.normalize('NFC'));
  return cyrillic.test(lower) ? lower : lower.normalize('NFKD').replace(combiningMarks, '');
}

/** The words of a text, in order, with their offsets. */
export function wordsOf(text: string): WordAt[] {
  const words: WordAt[] = [];
  for (const match of text.matchAll(wordPattern)) {
    words.push({ folded: foldWord(match[0]), start: match.index, end: match.index + match[0].length });
  }
  return words;
}

// Russian nouns drop a vowel before a final к or ц in their other forms (ребёнок → ребёнка, отец → отца):
// the stem is taken without it, so every form meets on one term.
const fleetingVowel = /(?<=[бвгджзклмнпрстфхцчшщ])[оеё](?=[кц]$)/u;

function russianTermOf(word: string): string {
  const stem = russian.stem(word).replace(fleetingVowel, '');
  // A stem cut below three letters (Киев → ки) would meet its other forms only by equality; its first three letters do.
  return stem.length < STEM_MIN_PREFIX && word.length > STEM_MIN_PREFIX ? word.slice(0, STEM_MIN_PREFIX) : stem;
}

// Stemming is the costly part of indexing and highlighting; the same words come back all the time.
const stemCache = new Map<string, string | null>();
const STEM_CACHE_MAX = 50_000;

/** The term a folded word is indexed and looked up by; null for a function word. */
export function termOf(folded: string): string | null {
  const cached = stemCache.get(folded);
  if (cached !== undefined) return cached;
  let term: string | null = null;
  if (!stopWords.has(folded)) {
    const word = folded.slice(0, TERM_MAX_LENGTH);
    if (digit.test(word)) term = word;
    else if (cyrillic.test(word)) term = russianTermOf(word);
    else if (latinOnly.test(word)) term = english.stem(word);
    else term = word;
    if (term === '') term = word;
  }
  if (stemCache.size >= STEM_CACHE_MAX) stemCache.clear();
  stemCache.set(folded, term);
  return term;
}

/** The distinct terms of a text. */
export function termsOf(text: string): Set<string> {
  const terms = new Set<string>();
  for (const word of wordsOf(text)) {
    const term = termOf(word.folded);
    if (term !== null) terms.add(term);
  }
  return terms;
}

/** Whether a query term finds an indexed term: equal, or one a prefix of the other by at most two letters. */
export function termsMatch(query: string, indexed: string): boolean {
  if (query === indexed) return true;
  const [shorter, longer] = query.length <= indexed.length ? [query, indexed] : [indexed, query];
  return (
    longer.length - shorter.length <= STEM_TOLERANCE &&
    shorter.length >= STEM_MIN_PREFIX &&
    !digit.test(longer) &&
    longer.startsWith(shorter)
  );
}

/** The terms a query asks for, each once, in the order written; at most `max`. */
export function queryTerms(query: string, max: number): string[] {
  return [...termsOf(query)].slice(0, max);
}

/**
 * URL slugs: lower-case latin letters, digits and single hyphens, at most 80 characters.
 *
 * Cyrillic is transliterated by a fixed table in the simplified Yandex / ISO 9 style that
 * Russian news sites use (щ → shch, ц → ts, х → kh, й and ы → y, ъ and ь dropped);
 * Latin letters with diacritics are folded to their base letter (é → e).
 */

export const SLUG_MAX_LENGTH = 80;

/** A valid slug: runs of [a-z0-9] joined by single hyphens (length is checked separately). */
export const slugPattern = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const CYRILLIC: Readonly<Record<string, string>> = {
  // Russian
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'g',
  д: 'd',
  е: 'e',
  ё: 'e',
  ж: 'zh',
  з: 'z',
  и: 'i',
  й: 'y',
  к: 'k',
  л: 'l',
  м: 'm',
  н: 'n',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  у: 'u',
  ф: 'f',
  х: 'kh',
  ц: 'ts',
  ч: 'ch',
  ш: 'sh',
  щ: 'shch',
  ъ: '',
  ы: 'y',
  ь: '',
  э: 'e',
  ю: 'yu',
  я: 'ya',
  // Ukrainian and Belarusian
  і: 'i',
  ї: 'yi',
  є: 'ye',
  ґ: 'g',
  ў: 'u',
  // A few more letters of Cyrillic alphabets that may turn up in names
  ђ: 'dj',
  ј: 'j',
  љ: 'lj',
  њ: 'nj',
  ћ: 'c',
  џ: 'dz',
  ѓ: 'g',
  ќ: 'k',
  ѕ: 'dz',
  қ: 'k',
  ғ: 'g',
  ү: 'u',
  ұ: 'u',
  ң: 'n',
  ө: 'o',
  һ: 'h',
  ә: 'a',
};

/** Latin letters that Unicode decomposition does not fold to ASCII. */
const LATIN_EXTRA: Readonly<Record<string, string>> = {
  ß: 'ss',
  æ: 'ae',
  œ: 'oe',
  ø: 'o',
  đ: 'd',
  ð: 'd',
  ł: 'l',
  þ: 'th',
  ı: 'i',
  ħ: 'h',
  ŧ: 't',
};

/** Apostrophes inside words are dropped rather than turned into hyphens (п'ять → pyat, don't → dont). */
const APOSTROPHES = new Set(["'", '\u2019', '\u02BC', '`', '\u00B4']);

const COMBINING_MARKS = /\p{M}/gu;

function transliterate(char: string): string {
  const cyrillic = CYRILLIC[char];
  if (cyrillic !== undefined) return cyrillic;
  const latin = LATIN_EXTRA[char];
  if (latin !== undefined) return latin;
  if (APOSTROPHES.has(char)) return '';
  // Fold diacritics and compatibility forms (é → e, ｆ → f, ² → 2); anything else is a separator.
  const folded = char.normalize('NFKD').replace(COMBINING_MARKS, '');
  let out = '';
  for (const c of folded.toLowerCase()) {
    if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) out += c;
    else out += ' ';
  }
  return out;
}

/** Cut to at most `max` characters, at a hyphen when there is one, never ending with a hyphen. */
function truncate(slug: string, max: number): string {
  if (slug.length <= max) return slug;
  if (slug[max] === '-') return slug.slice(0, max);
  const head = slug.slice(0, max);
  const lastHyphen = head.lastIndexOf('-');
  const cut = lastHyphen > 0 ? head.slice(0, lastHyphen) : head;
  return cut.replace(/-+$/, '');
}

/**
 * Turn a title (Russian, Latin or mixed) into a latin URL slug.
 * Returns '' when nothing usable is left (the caller decides what to do then).
 */
export function slugify(text: string): string {
  // NFC first, so that й and ё stay single letters for the table.
  const source = text.normalize('NFC').toLowerCase();
  let out = '';
  for (const char of source) out += transliterate(char);
  const slug = out.replace(/[^a-z0-9]+/g, '-').replace(/^-+|-+$/g, '');
  return truncate(slug, SLUG_MAX_LENGTH);
}

/** True when `s` is a slug that `slugify` could produce: matches `slugPattern`, 1..80 characters. */
export function isValidSlug(s: string): boolean {
  return typeof s === 'string' && s.length >= 1 && s.length <= SLUG_MAX_LENGTH && slugPattern.test(s);
}

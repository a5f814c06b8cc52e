/**
 * Russian numbers in words, for narration: cardinals in the nominative (with the gender of the noun they
 * count) and ordinals in the cases newsroom copy needs (dates, years, "5-й").
 */

export type Gender = 'm' | 'f' | 'n';
export type OrdinalForm = 'nomM' | 'nomF' | 'nomN' | 'gen' | 'prep' | 'instr' | 'genPl' | 'nomPl' | 'dat';

const units = ['', 'один', 'два', 'три', 'четыре', 'пять', 'шесть', 'семь', 'восемь', 'девять'];
const teens = [
  'десять',
  'одиннадцать',
  'двенадцать',
  'тринадцать',
  'четырнадцать',
  'пятнадцать',
  'шестнадцать',
  'семнадцать',
  'восемнадцать',
  'девятнадцать',
];
const tens = ['', '', 'двадцать', 'тридцать', 'сорок', 'пятьдесят', 'шестьдесят', 'семьдесят', 'восемьдесят', 'девяносто'];
const hundreds = ['', 'сто', 'двести', 'триста', 'четыреста', 'пятьсот', 'шестьсот', 'семьсот', 'восемьсот', 'девятьсот'];

/** The form of a counted noun: 1 (and 21, 31…) takes the first, 2–4 the second, the rest (and 11–14) the third. */
export function pluralForm<T>(n: number, forms: readonly [T, T, T]): T {
  const lastTwo = n % 100;
  const last = n % 10;
  if (lastTwo >= 11 && lastTwo <= 14) return forms[2];
  if (last === 1) return forms[0];
  if (last >= 2 && last <= 4) return forms[1];
  return forms[2];
}

function belowThousand(n: number, gender: Gender): string[] {
  const words: string[] = [];
  if (n >= 100) words.push(hundreds[Math.floor(n / 100)]!);
  const rest = n % 100;
  if (rest >= 10 && rest < 20) words.push(teens[rest - 10]!);
  else {
    if (rest >= 20) words.push(tens[Math.floor(rest / 10)]!);
    const unit = rest % 10;
    if (unit === 1) words.push(gender === 'f' ? 'одна' : gender === 'n' ? 'одно' : 'один');
    else if (unit === 2) words.push(gender === 'f' ? 'две' : 'два');
    else if (unit > 0) words.push(units[unit]!);
  }
  return words;
}

const scales: { value: number; gender: Gender; forms: [string, string, string] }[] = [
  { value: 1e12, gender: 'm', forms: ['триллион', 'триллиона', 'триллионов'] },
  { value: 1e9, gender: 'm', forms: ['миллиард', 'миллиарда', 'миллиардов'] },
  { value: 1e6, gender: 'm', forms: ['миллион', 'миллиона', 'миллионов'] },
  { value: 1e3, gender: 'f', forms: ['тысяча', 'тысячи', 'тысяч'] },
];

/** A whole number in words, in the nominative: `gender` is that of the noun it counts (две тысячи, два рубля). */
export function cardinal(n: number, gender: Gender = 'm'): string {
  if (!Number.isFinite(n) || !Number.isInteger(n)) throw new RangeError(`Not a whole number: ${n}`);
  if (n < 0) return `минус ${cardinal(-n, gender)}`;
  if (n === 0) return 'ноль';
  if (n >= 1e15)
    return String(n)
      .split('')
      .map((d) => cardinal(Number(d)))
      .join(' ');
  const words: string[] = [];
  let rest = n;
  for (const scale of scales) {
    const count = Math.floor(rest / scale.value);
    if (count > 0) {
      // A thousand alone is read «тысяча», not «одна тысяча».
      if (!(count === 1 && scale.value === 1e3)) words.push(...belowThousand(count, scale.gender));
      words.push(pluralForm(count, scale.forms));
      rest %= scale.value;
    }
  }
  words.push(...belowThousand(rest, gender));
  return words.join(' ');
}

// Ordinal stems: the word without its ending, and whether the ending is stressed (-ой) or soft (третий).
const unitOrdinals = ['', 'перв', 'втор', 'трет', 'четвёрт', 'пят', 'шест', 'седьм', 'восьм', 'девят'];
const teenOrdinals = [
  'десят',
  'одиннадцат',
  'двенадцат',
  'тринадцат',
  'четырнадцат',
  'пятнадцат',
  'шестнадцат',
  'семнадцат',
  'восемнадцат',
  'девятнадцат',
];
const tenOrdinals = ['', '', 'двадцат', 'тридцат', 'сороков', 'пятидесят', 'шестидесят', 'семидесят', 'восьмидесят', 'девяност'];
const hundredOrdinals = ['', 'сот', 'двухсот', 'трёхсот', 'четырёхсот', 'пятисот', 'шестисот', 'семисот', 'восьмисот', 'девятисот'];
const thousandPrefixes = ['', '', 'двух', 'трёх', 'четырёх', 'пяти', 'шести', 'семи', 'восьми', 'девяти'];

const hardEndings: Record<OrdinalForm, string> = {
  nomM: 'ый',
  nomF: 'ая',
  nomN: 'ое',
  gen: 'ого',
  dat: 'ому',
  prep: 'ом',
  instr: 'ым',
  genPl: 'ых',
  nomPl: 'ые',
};
// Stressed ending: второй, шестой, седьмой, восьмой, сороковой.
const stressedEndings: Record<OrdinalForm, string> = { ...hardEndings, nomM: 'ой' };
const thirdEndings: Record<OrdinalForm, string> = {
  nomM: 'ий',
  nomF: 'ья',
  nomN: 'ье',
  gen: 'ьего',
  dat: 'ьему',
  prep: 'ьем',
  instr: 'ьим',
  genPl: 'ьих',
  nomPl: 'ьи',
};
const stressedStems = new Set(['втор', 'шест', 'седьм', 'восьм', 'сороков']);

function ordinalWord(stem: string, form: OrdinalForm): string {
  if (stem === 'трет') return stem + thirdEndings[form];
  return stem + (stressedStems.has(stem) ? stressedEndings : hardEndings)[form];
}

/** A whole number as an ordinal in the given form: only its last word changes (две тысячи двадцать шестого). */
export function ordinal(n: number, form: OrdinalForm): string {
  if (!Number.isInteger(n) || n <= 0 || n >= 1e9) return cardinal(n);
  const lastThree = n % 1000;
  const above = n - lastThree;
  if (lastThree === 0) {
    // Round thousands and millions: двухтысячный, миллионный.
    if (n % 1e6 === 0) {
      const millions = n / 1e6;
      return `${millions === 1 ? '' : (thousandPrefixes[millions] ?? `${cardinal(millions)} `)}${ordinalWord('миллионн', form)}`;
    }
    const thousands = n / 1000;
    const head = thousands >= 10 ? `${cardinal(thousands - (thousands % 10), 'f')} ` : '';
    const unit = thousands % 10;
    return `${head}${unit === 1 && thousands < 10 ? '' : (thousandPrefixes[unit] ?? '')}${ordinalWord('тысячн', form)}`.trim();
  }
  const prefix = above > 0 ? `${cardinal(above)} ` : '';
  const rest = lastThree % 100;
  let words: string;
  if (rest === 0) words = ordinalWord(hundredOrdinals[Math.floor(lastThree / 100)]!, form);
  else {
    const head = lastThree >= 100 ? `${hundreds[Math.floor(lastThree / 100)]} ` : '';
    if (rest >= 10 && rest < 20) words = head + ordinalWord(teenOrdinals[rest - 10]!, form);
    else if (rest % 10 === 0) words = head + ordinalWord(tenOrdinals[rest / 10]!, form);
    else {
      const tensWord = rest >= 20 ? `${tens[Math.floor(rest / 10)]} ` : '';
      words = head + tensWord + ordinalWord(unitOrdinals[rest % 10]!, form);
    }
  }
  return prefix + words;
}

const genitiveUnits = ['', 'одного', 'двух', 'трёх', 'четырёх', 'пяти', 'шести', 'семи', 'восьми', 'девяти'];
const genitiveTens = ['', '', 'двадцати', 'тридцати', 'сорока', 'пятидесяти', 'шестидесяти', 'семидесяти', 'восьмидесяти', 'девяноста'];
const genitiveHundreds = ['', 'ста', 'двухсот', 'трёхсот', 'четырёхсот', 'пятисот', 'шестисот', 'семисот', 'восьмисот', 'девятисот'];
const genitiveScales: { value: number; forms: [string, string] }[] = [
  { value: 1e12, forms: ['триллиона', 'триллионов'] },
  { value: 1e9, forms: ['миллиарда', 'миллиардов'] },
  { value: 1e6, forms: ['миллиона', 'миллионов'] },
  { value: 1e3, forms: ['тысячи', 'тысяч'] },
];

function genitiveBelowThousand(n: number, gender: Gender): string[] {
  const words: string[] = [];
  if (n >= 100) words.push(genitiveHundreds[Math.floor(n / 100)]!);
  const rest = n % 100;
  if (rest >= 10 && rest < 20) words.push(teens[rest - 10]!.replace(/ь$/, 'и'));
  else {
    if (rest >= 20) words.push(genitiveTens[Math.floor(rest / 10)]!);
    const unit = rest % 10;
    if (unit === 1) words.push(gender === 'f' ? 'одной' : 'одного');
    else if (unit > 0) words.push(genitiveUnits[unit]!);
  }
  return words;
}

/** A whole number in words in the genitive (после «с», «до», «около», «более»): «двенадцати», «трёхсот». */
export function genitiveCardinal(n: number, gender: Gender = 'm'): string {
  if (!Number.isInteger(n) || n < 0 || n >= 1e15) return cardinal(n, gender);
  if (n === 0) return 'нуля';
  const words: string[] = [];
  let rest = n;
  for (const scale of genitiveScales) {
    const count = Math.floor(rest / scale.value);
    if (count > 0) {
      if (!(count === 1 && scale.value === 1e3)) words.push(...genitiveBelowThousand(count, scale.value === 1e3 ? 'f' : 'm'));
      words.push(count % 10 === 1 && count % 100 !== 11 ? scale.forms[0] : scale.forms[1]);
      rest %= scale.value;
    }
  }
  words.push(...genitiveBelowThousand(rest, gender));
  return words.join(' ');
}

import { cardinal, genitiveCardinal, ordinal, pluralForm, type Gender, type OrdinalForm } from './russian-numbers.ts';

/**
 * Russian newsroom text as it is read aloud: numbers, percentages, dates and years, money, units and
 * the common abbreviations in words, after the editors' pronunciation dictionary. A voice reads «12%»
 * or «млн» badly or not at all; what is left alone is read as written.
 */

export interface PronunciationEntry {
  term: string;
  spoken: string;
}

type Forms = readonly [string, string, string];

interface Unit {
  forms: Forms;
  gender: Gender;
  /** The form after a fraction (три целых пять десятых процента). */
  afterFraction: string;
}

const unit = (forms: Forms, gender: Gender = 'm'): Unit => ({ forms, gender, afterFraction: forms[1] });

const percent = unit(['процент', 'процента', 'процентов']);
const rouble = unit(['рубль', 'рубля', 'рублей']);
const dollar = unit(['доллар', 'доллара', 'долларов']);
const euro = unit(['евро', 'евро', 'евро'], 'n');
const yuan = unit(['юань', 'юаня', 'юаней']);

// Units written after a number; the key is the written form (lower case, without its full stop).
const unitsAfterNumber: Record<string, Unit> = {
  '%': percent,
  руб: rouble,
  р: rouble,
  '₽': rouble,
  рублей: rouble,
  рубля: rouble,
  рубль: rouble,
  долл: dollar,
  $: dollar,
  долларов: dollar,
  доллара: dollar,
  '€': euro,
  евро: euro,
  юаней: yuan,
  км: unit(['километр', 'километра', 'километров']),
  м: unit(['метр', 'метра', 'метров']),
  см: unit(['сантиметр', 'сантиметра', 'сантиметров']),
  кг: unit(['килограмм', 'килограмма', 'килограммов']),
  т: unit(['тонна', 'тонны', 'тонн'], 'f'),
  га: unit(['гектар', 'гектара', 'гектаров']),
  ч: unit(['час', 'часа', 'часов']),
  мин: unit(['минута', 'минуты', 'минут'], 'f'),
  сек: unit(['секунда', 'секунды', 'секунд'], 'f'),
  чел: unit(['человек', 'человека', 'человек']),
  'кв. м': unit(['квадратный метр', 'квадратных метра', 'квадратных метров']),
  'км/ч': unit(['километр в час', 'километра в час', 'километров в час']),
  '°c': unit(['градус Цельсия', 'градуса Цельсия', 'градусов Цельсия']),
  '°': unit(['градус', 'градуса', 'градусов']),
};

// Scale words after a number: «5 млн руб.» is «пять миллионов рублей».
const scaleWords: Record<string, Unit> = {
  тыс: unit(['тысяча', 'тысячи', 'тысяч'], 'f'),
  тысяч: unit(['тысяча', 'тысячи', 'тысяч'], 'f'),
  млн: unit(['миллион', 'миллиона', 'миллионов']),
  миллионов: unit(['миллион', 'миллиона', 'миллионов']),
  млрд: unit(['миллиард', 'миллиарда', 'миллиардов']),
  миллиардов: unit(['миллиард', 'миллиарда', 'миллиардов']),
  трлн: unit(['триллион', 'триллиона', 'триллионов']),
};

const months = ['января', 'февраля', 'марта', 'апреля', 'мая', 'июня', 'июля', 'августа', 'сентября', 'октября', 'ноября', 'декабря'];

// Abbreviations read the same wherever they stand; a full stop that ends the sentence is kept.
// Those marked true may end a sentence, their full stop then kept as the sentence's.
const abbreviations: [RegExp, string, boolean?][] = [
  [/(?<![\p{L}])т\.\s?е\./gu, 'то есть'],
  [/(?<![\p{L}])т\.\s?д\./gu, 'так далее', true],
  [/(?<![\p{L}])т\.\s?п\./gu, 'тому подобное', true],
  [/(?<![\p{L}])т\.\s?к\./gu, 'так как'],
  [/(?<![\p{L}])и др\./gu, 'и другие', true],
  [/(?<![\p{L}])и пр\./gu, 'и прочие', true],
  [/(?<![\p{L}])ок\.(?=\s)/gu, 'около'],
  [/(?<![\p{L}])им\.(?=\s)/gu, 'имени'],
  [/(?<![\p{L}])(?<=(?:на|по)\s)ул\.(?=\s)/gu, 'улице'],
  [/(?<![\p{L}])ул\.(?=\s)/gu, 'улица'],
  [/(?<![\p{L}])пр-т(?![\p{L}])/gu, 'проспект'],
  [/(?<![\p{L}])пл\.(?=\s)/gu, 'площадь'],
  [/(?<![\p{L}])обл\.(?=\s|$)/gu, 'область', true],
  [/(?<![\p{L}])г\.(?=\s?\p{Lu})/gu, 'город'],
  [/(?<![\p{L}])см\.(?=\s)/gu, 'смотрите'],
  [/(?<![\p{L}])зам\.(?=\s)/gu, 'заместитель'],
  [/(?<![\p{L}])гл\.(?=\s)/gu, 'глава'],
  [/(?<![\p{L}])млн(?![\p{L}])\.?/gu, 'миллионов', true],
  [/(?<![\p{L}])млрд(?![\p{L}])\.?/gu, 'миллиардов', true],
  [/(?<![\p{L}])тыс\./gu, 'тысяч', true],
  [/№\s?/gu, 'номер '],
  [/\s&\s/gu, ' и '],
];

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** Applies the dictionary to whole words, case-insensitively (ё and е alike), longest terms first. */
export function applyPronunciations(text: string, entries: readonly PronunciationEntry[]): string {
  if (!entries.length) return text;
  const byKey = new Map(entries.map((e) => [pronunciationKey(e.term), e.spoken]));
  const alternatives = [...byKey.keys()]
    .sort((a, b) => b.length - a.length)
    .map((key) => escapeRegExp(key).replace(/е/g, '[её]'))
    .join('|');
  const pattern = new RegExp(`(?<![\\p{L}\\p{N}])(?:${alternatives})(?![\\p{L}\\p{N}])`, 'giu');
  return text.replace(pattern, (found) => byKey.get(pronunciationKey(found)) ?? found);
}

/** How a dictionary term is matched: lower case, ё as е. */
export function pronunciationKey(term: string): string {
  return term.trim().toLowerCase().replaceAll('ё', 'е');
}

// A number as written: 1 000 000 (with ordinary or narrow spaces), 3,5 or 3.5.
const numberPattern = String.raw`\d{1,3}(?:[\u00a0\u202f ]\d{3})+(?!\d)|\d+(?:[.,]\d+)?`;

function parseNumber(written: string): { whole: number; fraction: string } {
  const [whole, fraction = ''] = written.replace(/[\u00a0\u202f ]/g, '').split(/[.,]/);
  return { whole: Number(whole), fraction };
}

const fractionNames: Forms[] = [
  ['десятая', 'десятых', 'десятых'],
  ['сотая', 'сотых', 'сотых'],
  ['тысячная', 'тысячных', 'тысячных'],
];

/** A number with its unit agreeing: «два рубля», «пять процентов», «полтора миллиона», «три целых пять десятых процента». */
function numberWithUnit(written: string, target: Unit | null, isGenitive = false): string {
  const { whole, fraction } = parseNumber(written);
  if (!fraction || /^0+$/.test(fraction)) {
    if (isGenitive) {
      const words = genitiveCardinal(whole, target?.gender ?? 'm');
      return target ? `${words} ${whole % 10 === 1 && whole % 100 !== 11 ? target.forms[1] : target.forms[2]}` : words;
    }
    const words = cardinal(whole, target?.gender ?? 'm');
    return target ? `${words} ${pluralForm(whole, target.forms)}` : words;
  }
  const digits = fraction.slice(0, 3).replace(/0+$/, '') || '0';
  if (digits === '5' && whole === 1 && target) return `${target.gender === 'f' ? 'полторы' : 'полтора'} ${target.forms[1]}`;
  const numerator = Number(digits);
  const wholeWords = `${cardinal(whole, 'f')} ${pluralForm(whole, ['целая', 'целых', 'целых'])}`;
  const fractionWords = `${cardinal(numerator, 'f')} ${pluralForm(numerator, fractionNames[digits.length - 1]!)}`;
  return `${wholeWords} ${fractionWords}${target ? ` ${target.afterFraction}` : ''}`;
}

const unitAlternatives = Object.keys(unitsAfterNumber)
  .sort((a, b) => b.length - a.length)
  .map((key) => escapeRegExp(key).replace(/\\\. /g, '\\.\\s?'))
  .join('|');
const scaleAlternatives = Object.keys(scaleWords)
  .sort((a, b) => b.length - a.length)
  .join('|');

// «5 млн руб.», «12%», «3,5 км», «1 000 рублей»: a number, maybe a scale word, maybe a unit.
const quantityPattern = new RegExp(
  String.raw`(?<![\p{L}\d.,])(${numberPattern})(?:\s?(${scaleAlternatives})(?![\p{L}])\.?)?(?:\s?(${unitAlternatives})(?![\p{L}])(\.?))?`,
  'giu',
);

function readQuantity(written: string, scaleWritten: string | undefined, unitWritten: string | undefined, isGenitive = false): string {
  const target = unitWritten
    ? (unitsAfterNumber[unitWritten.toLowerCase().replace(/\.\s?/g, '. ')] ?? unitsAfterNumber[unitWritten.toLowerCase()])
    : undefined;
  if (scaleWritten) {
    const scale = scaleWords[scaleWritten.toLowerCase()]!;
    // After a scale word the unit is always in the genitive plural: «пять миллионов рублей», «два миллиона рублей».
    return `${numberWithUnit(written, scale, isGenitive)}${target ? ` ${target.forms[2]}` : ''}`;
  }
  return numberWithUnit(written, target ?? null, isGenitive);
}

const yearCases: Record<string, { form: OrdinalForm; noun: string }> = {
  год: { form: 'nomM', noun: 'год' },
  года: { form: 'gen', noun: 'года' },
  году: { form: 'prep', noun: 'году' },
  годом: { form: 'instr', noun: 'годом' },
  годах: { form: 'prep', noun: 'годах' },
  годов: { form: 'genPl', noun: 'годов' },
};

// Suffixes of ordinals written with digits: «5-й», «23-го», «1990-х».
const ordinalSuffixes: Record<string, OrdinalForm> = {
  й: 'nomM',
  ой: 'nomM',
  ый: 'nomM',
  я: 'nomF',
  ая: 'nomF',
  е: 'nomN',
  ое: 'nomN',
  го: 'gen',
  ого: 'gen',
  му: 'dat',
  ому: 'dat',
  м: 'prep',
  ом: 'prep',
  ым: 'instr',
  х: 'genPl',
  ых: 'genPl',
};

// Prepositions and words after which a number is read in the genitive: «до двенадцати процентов», «около трёхсот».
const governsGenitive = /(?:^|[\s(«])(?:с|со|до|от|из|для|без|около|ок\.|более|менее|свыше|порядка|после|кроме)\s$/iu;

/** A full stop an abbreviation took that also ended the sentence: kept, so that the voice still pauses there. */
function keptFullStop(text: string, after: number, tookFullStop: boolean): string {
  if (!tookFullStop) return '';
  return /^(?:\s*$|\s+[\p{Lu}«"—–-])/u.test(text.slice(after)) ? '.' : '';
}

/** Reads a text aloud as words: the dictionary first (editors may override anything below), then numbers and abbreviations. */
export function normaliseRussian(text: string, dictionary: readonly PronunciationEntry[] = []): string {
  let out = applyPronunciations(text, dictionary);

  // Dates: «23 ноября 2026 г.», «23 ноября», «23.11.2026».
  out = out.replace(/(?<!\d)(\d{1,2})\.(\d{1,2})\.(\d{4})(?!\d)/g, (found, d: string, m: string, y: string) => {
    const month = months[Number(m) - 1];
    return month && Number(d) >= 1 && Number(d) <= 31 ? `${ordinal(Number(d), 'gen')} ${month} ${ordinal(Number(y), 'gen')} года` : found;
  });
  out = out.replace(
    new RegExp(String.raw`(?<!\d)(\d{1,2})\s(${months.join('|')})(?:\s(\d{4})(?:\s?(г\.|года)(?![\p{L}]))?)?`, 'gu'),
    (found: string, d: string, month: string, y: string | undefined, noun: string | undefined, at: number, whole: string) => {
      // «на седьмое сентября», «к седьмому сентября», otherwise «седьмого сентября».
      const before = whole.slice(Math.max(0, at - 4), at).toLowerCase();
      const form: OrdinalForm = /(?:^|\s)на\s$/.test(before) ? 'nomN' : /(?:^|\s)к\s$/.test(before) ? 'dat' : 'gen';
      const year = y ? ` ${ordinal(Number(y), 'gen')} года${keptFullStop(whole, at + found.length, noun === 'г.')}` : '';
      return `${ordinal(Number(d), form)} ${month}${year}`;
    },
  );

  // Years with their noun: «в 2026 году», «с 2020 года», «2025–2026 годах», «в 2026 г.».
  out = out.replace(
    /(?<![\d\p{L}])(\d{4})(?:\s?[–—-]\s?(\d{4}))?\s(год|года|году|годом|годах|годов)(?![\p{L}])/gu,
    (_found, first: string, second: string | undefined, noun: string) => {
      const { form } = yearCases[noun]!;
      return `${ordinal(Number(first), form)}${second ? ` — ${ordinal(Number(second), form)}` : ''} ${noun}`;
    },
  );
  out = out.replace(
    /(?<![\p{L}])(в|во|с|со|до|от|после|к)\s(\d{4})\s?гг?\.(?=\s|$|[,;:!?)])/giu,
    (found: string, preposition: string, y: string, at: number, whole: string) => {
      const lower = preposition.toLowerCase();
      const stop = keptFullStop(whole, at + found.length, true);
      if (lower === 'в' || lower === 'во') return `${preposition} ${ordinal(Number(y), 'prep')} году${stop}`;
      if (lower === 'к') return `${preposition} ${ordinal(Number(y), 'dat')} году${stop}`;
      return `${preposition} ${ordinal(Number(y), 'gen')} года${stop}`;
    },
  );
  out = out.replace(
    /(?<![\d\p{L}])(\d{4})\s?г\.(?=\s|$|[,;:!?)])/gu,
    (found: string, y: string, at: number, whole: string) =>
      `${ordinal(Number(y), 'gen')} года${keptFullStop(whole, at + found.length, true)}`,
  );

  // Ordinals with a suffix: «5-й», «23-го», «1990-х».
  out = out.replace(
    /(?<![\d\p{L}])(\d+)-(ой|ый|ая|ое|ого|ому|ом|ым|ых|й|я|е|го|му|м|х)(?![\p{L}])/gu,
    (_found, n: string, suffix: string) => ordinal(Number(n), ordinalSuffixes[suffix]!),
  );

  // Times: «в 10:30», «в 9:00».
  out = out.replace(/(?<![\d:])([01]?\d|2[0-3]):([0-5]\d)(?![\d:])/g, (_found, h: string, m: string) => {
    const hours = Number(h);
    const minutes = Number(m);
    if (minutes === 0) return `${cardinal(hours)} ${pluralForm(hours, ['час', 'часа', 'часов'])}`;
    return `${cardinal(hours)} ${minutes < 10 ? `ноль ${cardinal(minutes, 'f')}` : cardinal(minutes, 'f')}`;
  });

  // Money written before the number: «$5», «€20 млн».
  out = out.replace(
    new RegExp(String.raw`([$€₽])\s?(${numberPattern})(?:\s?(${scaleAlternatives})(?![\p{L}])\.?)?`, 'gu'),
    (found: string, sign: string, n: string, scale: string | undefined, at: number, whole: string) =>
      readQuantity(n, scale, sign) + keptFullStop(whole, at + found.length, found.endsWith('.')),
  );

  // Temperatures with a sign: «+5 °C», «−3°».
  out = out.replace(/(?<![\p{L}\d])([+−-])(\d+)\s?(°\s?[CС]?)/gu, (_found, sign: string, n: string, degree: string) => {
    const target = /[CС]/.test(degree) ? unitsAfterNumber['°c']! : unitsAfterNumber['°']!;
    return `${sign === '+' ? 'плюс' : 'минус'} ${cardinal(Number(n))} ${pluralForm(Number(n), target.forms)}`;
  });
  out = out.replace(/°\s?[CС](?![\p{L}])/gu, '°c');

  // Everything else with a number: quantities with their units, plain numbers.
  out = out.replace(
    quantityPattern,
    (
      found: string,
      n: string,
      scale: string | undefined,
      unitWritten: string | undefined,
      dot: string | undefined,
      at: number,
      whole: string,
    ) => {
      const isGenitive = governsGenitive.test(whole.slice(Math.max(0, at - 12), at));
      return readQuantity(n, scale, unitWritten, isGenitive) + keptFullStop(whole, at + found.length, found.endsWith('.') || dot === '.');
    },
  );

  for (const [pattern, spoken, canEndSentence] of abbreviations)
    out = out.replace(pattern, (found: string, ...rest: unknown[]) => {
      const at = rest.at(-2) as number;
      return spoken + keptFullStop(rest.at(-1) as string, at + found.length, canEndSentence === true && found.endsWith('.'));
    });
  return out.replace(/[ \t\u00a0\u202f]{2,}/g, ' ').trim();
}

import { AppError, type FieldError } from '../errors.ts';

/*
 * Russian advertising marking (38-FZ art. 18.1): an online ad carries the word «Реклама», the erid token the
 * ad data operator (ОРД) issued for it, and its advertiser's name with INN or site; the erid also goes into the
 * ad's link. Shared by the feed (promo slots) and the articles (sponsored articles).
 */

/** The word the law asks for. */
export const AD_LABEL = 'Реклама';

/** What an editor sends: each part optional, so that a missing one is refused as `ad_marking_required`. */
export interface AdMarkingInput {
  erid?: string | undefined;
  advertiserName?: string | undefined;
  advertiserInn?: string | null | undefined;
  advertiserUrl?: string | null | undefined;
}

/** A complete marking, as stored. */
export interface AdMarking {
  erid: string;
  advertiserName: string;
  advertiserInn: string | null;
  advertiserUrl: string | null;
}

/** The marking as the public sees it: what the slot shows above the ad. */
export interface PublicAdMarking extends AdMarking {
  label: typeof AD_LABEL;
  text: string;
}

/** The columns a marking is stored in (Article and FeedItem alike). */
export interface AdMarkingColumns {
  adErid: string | null;
  adAdvertiserName: string | null;
  adAdvertiserInn: string | null;
  adAdvertiserUrl: string | null;
}

/** Operators issue erids of Latin letters and digits. */
export const ERID_PATTERN = /^[A-Za-z0-9]{1,100}$/;

const tenDigitWeights = [2, 4, 10, 3, 5, 9, 4, 6, 8];
const eleventhDigitWeights = [7, 2, 4, 10, 3, 5, 9, 4, 6, 8];
const twelfthDigitWeights = [3, 7, 2, 4, 10, 3, 5, 9, 4, 6, 8];

const checkDigit = (digits: number[], weights: number[]) => (weights.reduce((sum, w, i) => sum + w * digits[i]!, 0) % 11) % 10;

/** An INN of 10 digits (an organisation) or 12 (a person, a sole trader) whose check digits are right. */
export function isValidInn(inn: string): boolean {
  if (!/^(\d{10}|\d{12})$/.test(inn)) return false;
  const d = [...inn].map(Number);
  if (d.length === 10) return checkDigit(d, tenDigitWeights) === d[9];
  return checkDigit(d, eleventhDigitWeights) === d[10] && checkDigit(d, twelfthDigitWeights) === d[11];
}

export class AdMarkingRequiredError extends AppError {
  constructor(what: string, errors: FieldError[]) {
    super(
      422,
      'ad_marking_required',
      'Ad marking required',
      `${what} is an advertisement: it needs adMarking with an erid, the advertiser's name, and its INN or site.`,
      { errors },
    );
  }
}

export class InvalidInnError extends AppError {
  constructor(field: string) {
    super(422, 'invalid_inn', 'Invalid INN', 'The INN must be 10 or 12 digits with valid check digits.', {
      errors: [{ field, message: 'Not a valid INN' }],
    });
  }
}

/** Refuses an INN with wrong check digits, wherever a marking is sent, complete or not. */
export function assertInnValid(input: AdMarkingInput | null | undefined, field: string): void {
  if (input?.advertiserInn && !isValidInn(input.advertiserInn)) throw new InvalidInnError(`${field}.advertiserInn`);
}

/** The complete marking, or a 422 `ad_marking_required` naming every missing part. */
export function requireAdMarking(input: AdMarkingInput | null | undefined, field: string, what: string): AdMarking {
  assertInnValid(input, field);
  const errors: FieldError[] = [];
  if (!input?.erid) errors.push({ field: `${field}.erid`, message: 'Required for an advertisement' });
  if (!input?.advertiserName) errors.push({ field: `${field}.advertiserName`, message: 'Required for an advertisement' });
  if (!input?.advertiserInn && !input?.advertiserUrl) {
    errors.push({ field: `${field}.advertiserInn`, message: "The advertiser's INN or site is required" });
  }
  if (errors.length || !input?.erid || !input.advertiserName) throw new AdMarkingRequiredError(what, errors);
  return {
    erid: input.erid,
    advertiserName: input.advertiserName,
    advertiserInn: input.advertiserInn ?? null,
    advertiserUrl: input.advertiserUrl ?? null,
  };
}

/** A marking as partly given (a draft's, not yet complete) in its columns; undefined parts leave a column as it is. */
export function toAdColumns(input: AdMarkingInput | null): Partial<AdMarkingColumns> {
  if (input === null) return { adErid: null, adAdvertiserName: null, adAdvertiserInn: null, adAdvertiserUrl: null };
  return {
    ...(input.erid !== undefined ? { adErid: input.erid } : {}),
    ...(input.advertiserName !== undefined ? { adAdvertiserName: input.advertiserName } : {}),
    ...(input.advertiserInn !== undefined ? { adAdvertiserInn: input.advertiserInn } : {}),
    ...(input.advertiserUrl !== undefined ? { adAdvertiserUrl: input.advertiserUrl } : {}),
  };
}

/** The marking stored in a row's columns, whole or partial; null when none is. */
export function adMarkingInputOf(row: AdMarkingColumns): AdMarkingInput | null {
  if (!row.adErid && !row.adAdvertiserName && !row.adAdvertiserInn && !row.adAdvertiserUrl) return null;
  return {
    ...(row.adErid ? { erid: row.adErid } : {}),
    ...(row.adAdvertiserName ? { advertiserName: row.adAdvertiserName } : {}),
    advertiserInn: row.adAdvertiserInn,
    advertiserUrl: row.adAdvertiserUrl,
  };
}

/** The marking in a row's columns as management answers show it (parts a draft lacks are null); null when none. */
export function toStoredAdMarking(row: AdMarkingColumns): { [K in keyof AdMarking]: string | null } | null {
  if (!adMarkingInputOf(row)) return null;
  return { erid: row.adErid, advertiserName: row.adAdvertiserName, advertiserInn: row.adAdvertiserInn, advertiserUrl: row.adAdvertiserUrl };
}

/** The complete marking in a row's columns, or null. */
export function adMarkingOf(row: AdMarkingColumns): AdMarking | null {
  if (!row.adErid || !row.adAdvertiserName || !(row.adAdvertiserInn || row.adAdvertiserUrl)) return null;
  return { erid: row.adErid, advertiserName: row.adAdvertiserName, advertiserInn: row.adAdvertiserInn, advertiserUrl: row.adAdvertiserUrl };
}

/** «Реклама. ООО «Ромашка», ИНН 7707083893. erid: 2VtzqwRkN7h»: the line shown with the ad. */
export function toPublicAdMarking(marking: AdMarking): PublicAdMarking {
  const advertiser = marking.advertiserInn
    ? `${marking.advertiserName}, ИНН ${marking.advertiserInn}`
    : `${marking.advertiserName}, ${marking.advertiserUrl}`;
  return { label: AD_LABEL, ...marking, text: `${AD_LABEL}. ${advertiser}. erid: ${marking.erid}` };
}

/** The ad's link with its erid in the query, as the law asks; a link that already names one gets this one. */
export function withErid(url: string, erid: string): string {
  try {
    const link = new URL(url);
    link.searchParams.set('erid', erid);
    return link.toString();
  } catch {
    return url;
  }
}

import { BadRequestError } from '../errors.ts';

type CursorValue = string | number | boolean | null;

/** An opaque cursor: the sort key of the last item of a page, base64url-encoded JSON. */
export function encodeCursor(values: CursorValue[]): string {
  return Buffer.from(JSON.stringify(values)).toString('base64url');
}

/** Decodes a cursor made by encodeCursor, checking it has the shape the list expects. */
export function decodeCursor<T extends CursorValue[]>(cursor: string, isShape: (values: unknown[]) => values is T): T {
  let values: unknown;
  try {
    values = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
  } catch {
    values = undefined;
  }
  if (!Array.isArray(values) || !isShape(values)) {
    throw new BadRequestError('The cursor is not one this list gave out.', [{ field: 'query.cursor', message: 'Invalid cursor' }]);
  }
  return values;
}

/** A date a cursor may carry: one both databases can compare with (a forged far-off year is refused, not a 500). */
export function isCursorDate(value: unknown): value is string {
  if (typeof value !== 'string') return false;
  const year = new Date(value).getUTCFullYear();
  return year >= 1 && year <= 9999;
}

/** A (date, id) sort key, the tiebreaker that makes an order stable. */
export function isDateIdKey(values: unknown[]): values is [string, string] {
  return values.length === 2 && isCursorDate(values[0]) && typeof values[1] === 'string';
}

/** The where-filter for "after this (date, id)" in a newest-first order. */
export function olderThan(field: string, key: [string, string]): Record<string, unknown> {
  const date = new Date(key[0]);
  return { OR: [{ [field]: { lt: date } }, { [field]: date, id: { lt: key[1] } }] };
}

export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** Builds a page from `limit + 1` fetched rows: the extra row only tells that there is a next page. */
export function toPage<Row, Item>(rows: Row[], limit: number, map: (row: Row) => Item, keyOf: (row: Row) => CursorValue[]): Page<Item> {
  const hasMore = rows.length > limit;
  const pageRows = hasMore ? rows.slice(0, limit) : rows;
  const last = pageRows.at(-1);
  return { items: pageRows.map(map), nextCursor: hasMore && last ? encodeCursor(keyOf(last)) : null };
}

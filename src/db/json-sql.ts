import { Prisma } from '../generated/sqlite/client.ts';
import type { Dialect } from './dialect.ts';

type Sql = Prisma.Sql;
const { sql, raw, join, empty } = Prisma;

/**
 * JSON built by the database, so that a public read gets a row with its relations nested in one
 * statement (SQLite's json_object/json_group_array, PostgreSQL's json_build_object/json_agg). The
 * reads that use it write their SQL once; only these few functions differ per dialect.
 */
export interface JsonSql {
  dialect: Dialect;
  /** A JSON object of the named values; names are code, never input. */
  object(entries: readonly (readonly [name: string, value: Sql])[]): Sql;
  /**
   * A JSON array of `element` (an object) over the rows of `from` (FROM … WHERE …), in `orderBy` order
   * (none: any order, which spares a sort per array); [] for no rows.
   */
  array(element: Sql, from: Sql, orderBy?: Sql): Sql;
  /** A JSON value from a subquery or a JSON column, nested as JSON rather than as the text of it. */
  nest(value: Sql): Sql;
}

const keyOf = (name: string) => {
  if (!/^\w+$/.test(name)) throw new Error(`Not a JSON key for SQL: ${name}`);
  return raw(`'${name}'`);
};

const sqliteJson: JsonSql = {
  dialect: 'sqlite',
  object: (entries) => sql`json_object(${join(entries.map(([name, value]) => sql`${keyOf(name)}, ${value}`))})`,
  // An empty json_group_array is '[]'; json() keeps a nested object JSON when it comes through a subquery.
  array: (element, from, orderBy) => sql`(SELECT json_group_array(json(${element})${orderBy ? sql` ORDER BY ${orderBy}` : empty}) ${from})`,
  nest: (value) => sql`json(${value})`,
};

const postgresJson: JsonSql = {
  dialect: 'postgresql',
  object: (entries) => sql`json_build_object(${join(entries.map(([name, value]) => sql`${keyOf(name)}, ${value}`))})`,
  array: (element, from, orderBy) =>
    sql`(SELECT COALESCE(json_agg(${element}${orderBy ? sql` ORDER BY ${orderBy}` : empty}), '[]'::json) ${from})`,
  nest: (value) => value,
};

export const jsonSqlFor = (dialect: Dialect): JsonSql => (dialect === 'postgresql' ? postgresJson : sqliteJson);

/** A JSON value as a raw query returns it: text on SQLite, already parsed on PostgreSQL. */
export function parseJsonValue<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T;
}

/**
 * A date inside built JSON: SQLite keeps what Prisma stored ("…+00:00"), PostgreSQL writes a
 * `timestamp` without its zone, which is UTC here.
 */
export function jsonDate(value: string): Date;
export function jsonDate(value: string | null): Date | null;
export function jsonDate(value: string | null): Date | null {
  if (value === null) return null;
  return new Date(/(Z|[+-]\d\d:\d\d)$/.test(value) ? value : `${value}Z`);
}

/** A boolean inside built JSON: SQLite stores 0 or 1. */
export const jsonBoolean = (value: boolean | number): boolean => value === true || value === 1;

/** A JSON object of these columns of the row `alias`, each under its own name. */
export const objectOfColumns = (json: JsonSql, alias: string, columns: readonly string[]): Sql =>
  json.object(columns.map((c) => [c, raw(`"${alias}"."${c}"`)] as const));

/** `"alias"."column"` for each column, for a select list. */
export const columnsOf = (alias: string, columns: readonly string[]): Sql => raw(columns.map((c) => `"${alias}"."${c}"`).join(', '));

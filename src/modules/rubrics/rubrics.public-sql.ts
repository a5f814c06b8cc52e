import { jsonBoolean, objectOfColumns, parseJsonValue, type JsonSql } from '../../db/json-sql.ts';
import type { Prisma } from '../../generated/sqlite/client.ts';

// A rubric as the public reads that embed it (an article, a feed item, a sub-rubric's parent) nest it in
// their statement: what a link needs, and whether it is active (an inactive rubric is shown as null).

export interface RubricRefRow {
  id: string;
  name: string;
  slug: string;
  isActive: boolean;
}

/** The JSON object of the rubric row `alias`. */
export const rubricRefJson = (json: JsonSql, alias: string): Prisma.Sql => objectOfColumns(json, alias, ['id', 'name', 'slug', 'isActive']);

/** Back from JSON (SQLite writes the boolean as 0 or 1). */
export function toRubricRefRow(value: unknown): RubricRefRow | null {
  const row = parseJsonValue<(Omit<RubricRefRow, 'isActive'> & { isActive: boolean | number }) | null | undefined>(value);
  return row ? { ...row, isActive: jsonBoolean(row.isActive) } : null;
}

import { jsonDate, objectOfColumns, type JsonSql } from '../../db/json-sql.ts';
import { Prisma, type Media, type MediaRendition } from '../../generated/sqlite/client.ts';

// A media row with its renditions as one JSON value, for the public reads that embed media (an
// article's cover, narration and photos, a feed item's cover) in the statement that reads them.

type Sql = Prisma.Sql;
const { sql, raw } = Prisma;

export type MediaWithRenditionsRow = Media & { renditions: MediaRendition[] };

// Every column, so that the mapper sees the row as Prisma would give it.
const mediaColumns = Object.values(Prisma.MediaScalarFieldEnum);
const renditionColumns = Object.values(Prisma.MediaRenditionScalarFieldEnum);

/** The JSON object of the media row `alias`, with its renditions. */
export function mediaJsonOf(json: JsonSql, alias: string): Sql {
  return json.object([
    ...mediaColumns.map((c) => [c, raw(`"${alias}"."${c}"`)] as const),
    [
      'renditions',
      json.array(
        objectOfColumns(json, 'mr', renditionColumns),
        // In any order: the mapper sorts renditions itself.
        sql`FROM "MediaRendition" mr WHERE mr."mediaId" = ${raw(`"${alias}"."id"`)}`,
      ),
    ],
  ]);
}

/** The media of the id in `idColumn` (an SQL expression) as nested JSON, or null. */
export function mediaByIdJson(json: JsonSql, idColumn: Sql): Sql {
  return json.nest(sql`(SELECT ${mediaJsonOf(json, 'm')} FROM "Media" m WHERE m."id" = ${idColumn})`);
}

type MediaJson = Omit<MediaWithRenditionsRow, 'createdAt' | 'updatedAt'> & { createdAt: string; updatedAt: string };

/** Back from JSON to the row the media mapper takes. */
export function toMediaRow(value: MediaJson): MediaWithRenditionsRow;
export function toMediaRow(value: MediaJson | null): MediaWithRenditionsRow | null;
export function toMediaRow(value: MediaJson | null): MediaWithRenditionsRow | null {
  if (!value) return null;
  return { ...value, createdAt: jsonDate(value.createdAt), updatedAt: jsonDate(value.updatedAt) };
}

import type { Prisma, PrismaTx } from '../../db/database.ts';
import type { Dialect } from '../../db/dialect.ts';
import { columnsOf, jsonSqlFor, objectOfColumns, parseJsonValue } from '../../db/json-sql.ts';
import { Prisma as PrismaSql, type Rubric } from '../../generated/sqlite/client.ts';
import { atVersion } from '../../shared/versioned-write.ts';
import { rubricRefJson, toRubricRefRow, type RubricRefRow } from './rubrics.public-sql.ts';

const { sql, empty } = PrismaSql;

// Every column, so that a column added later reaches the mapper.
const rubricColumns = columnsOf('r', Object.values(PrismaSql.RubricScalarFieldEnum));

export type RubricRow = Rubric;
export type PublicRubricRow = Rubric & {
  parent: RubricRefRow | null;
  children: { id: string; name: string; slug: string }[];
};

export function createRubricsRepository({ prisma, dialect }: { prisma: Prisma; dialect: Dialect }) {
  const json = jsonSqlFor(dialect);
  /**
   * The public rubrics of `where`, each with its parent and its active children nested: one statement.
   * The parent comes whatever its state; the mapper shows it only while active.
   */
  async function readPublic(where: PrismaSql.Sql, tail: PrismaSql.Sql = empty): Promise<PublicRubricRow[]> {
    const parent = json.nest(sql`(SELECT ${rubricRefJson(json, 'p')} FROM "Rubric" p WHERE p."id" = r."parentId")`);
    const children = json.array(
      objectOfColumns(json, 'c', ['id', 'name', 'slug']),
      sql`FROM "Rubric" c WHERE c."parentId" = r."id" AND c."isActive" = ${true}`,
      sql`c."position", c."id"`,
    );
    const rows = await prisma.$queryRaw<(Rubric & { parent: unknown; children: unknown })[]>`
      SELECT ${rubricColumns}, ${parent} AS "parent", ${children} AS "children" FROM "Rubric" r WHERE r."isActive" = ${true} AND ${where} ${tail}`;
    return rows.map((row) => ({
      ...row,
      parent: toRubricRefRow(row.parent),
      children: parseJsonValue<PublicRubricRow['children']>(row.children),
    }));
  }

  /** Rubrics in their display order, (position, id) ascending, after the given key. */
  const afterKey = (key: [number, string] | undefined) =>
    key ? { OR: [{ position: { gt: key[0] } }, { position: key[0], id: { gt: key[1] } }] } : {};
  const displayOrder = [{ position: 'asc' as const }, { id: 'asc' as const }];

  return {
    findById: (id: string) => prisma.rubric.findUnique({ where: { id } }),
    findBySlug: (slug: string) => prisma.rubric.findUnique({ where: { slug } }),
    isSlugTaken: async (slug: string, exceptId?: string) =>
      (await prisma.rubric.count({ where: { slug, ...(exceptId ? { id: { not: exceptId } } : {}) } })) > 0,
    list: (take: number, key?: [number, string]) => prisma.rubric.findMany({ where: afterKey(key), orderBy: displayOrder, take }),
    listActive: (take: number, key?: [number, string]): Promise<PublicRubricRow[]> =>
      readPublic(
        key ? sql`(r."position" > ${key[0]} OR (r."position" = ${key[0]} AND r."id" > ${key[1]}))` : sql`1 = 1`,
        sql`ORDER BY r."position", r."id" LIMIT ${take}`,
      ),
    findActiveBySlug: async (slug: string): Promise<PublicRubricRow | null> => (await readPublic(sql`r."slug" = ${slug}`))[0] ?? null,
    /** Writes run in a transaction so that `then` (the webhook event) is committed with them or not at all. */
    create: (
      data: {
        name: string;
        slug: string;
        description: string | null;
        parentId: string | null;
        position: number;
        isActive: boolean;
        commentsEnabledByDefault: boolean;
        narration: string | null;
      },
      then: (tx: PrismaTx, row: Rubric) => Promise<void>,
    ) =>
      prisma.$transaction(async (tx) => {
        const row = await tx.rubric.create({ data });
        await then(tx, row);
        return row;
      }),
    /** Changes the rubric only while it is at the expected version (any when null); answers whether it did. */
    updateAtVersion: (
      id: string,
      expectedVersion: number | null,
      data: Partial<Omit<Rubric, 'id' | 'createdAt' | 'updatedAt' | 'version'>>,
      then: (tx: PrismaTx, row: Rubric) => Promise<void>,
    ) =>
      prisma.$transaction(async (tx) => {
        const { count } = await tx.rubric.updateMany({
          where: atVersion(id, expectedVersion),
          data: { ...data, version: { increment: 1 } },
        });
        const row = count === 1 ? await tx.rubric.findUnique({ where: { id } }) : null;
        if (row) await then(tx, row);
        return row !== null;
      }),
    deleteAtVersion: (id: string, expectedVersion: number | null, then: (tx: PrismaTx, row: Rubric) => Promise<void>) =>
      prisma.$transaction(async (tx) => {
        const row = await tx.rubric.findUnique({ where: { id } });
        const { count } = await tx.rubric.deleteMany({ where: atVersion(id, expectedVersion) });
        if (count === 1 && row) await then(tx, row);
        return count === 1;
      }),
    /** Every rubric's place in the tree: few rows, read whole to walk ancestors in memory. */
    listTree: (): Promise<{ id: string; slug: string; parentId: string | null }[]> =>
      prisma.rubric.findMany({ select: { id: true, slug: true, parentId: true } }),
    /** Ids of the ancestors of a rubric, nearest first (for refusing cycles). */
    ancestorIds: async (id: string): Promise<string[]> => {
      const ids: string[] = [];
      let current = await prisma.rubric.findUnique({ where: { id }, select: { parentId: true } });
      while (current?.parentId && !ids.includes(current.parentId)) {
        ids.push(current.parentId);
        current = await prisma.rubric.findUnique({ where: { id: current.parentId }, select: { parentId: true } });
      }
      return ids;
    },
  };
}

export type RubricsRepository = ReturnType<typeof createRubricsRepository>;

import type { Prisma, PrismaNamespace, PrismaTx } from '../../db/database.ts';
import type { AuditEvent } from '../../generated/sqlite/client.ts';
import type { AuditEventInput } from '../../shared/audit-event.ts';
import { olderThan } from '../../shared/cursor.ts';

export type AuditEventRow = AuditEvent;

export interface AuditFilter {
  actor?: string;
  action?: string;
  targetType?: string;
  targetId?: string;
  from?: Date;
  to?: Date;
}

const jsonOf = (details: Record<string, unknown> | null) => (details ?? undefined) as PrismaNamespace.InputJsonValue | undefined;

/** Append-only: no delete, and no update but a request completing the details of the entry it wrote. */
export function createAuditRepository({ prisma }: { prisma: Prisma }) {
  return {
    /** In the caller's transaction when given one: the entry commits with the change it records. */
    insert: (event: AuditEventInput & { at: Date }, tx: PrismaTx = prisma) =>
      tx.auditEvent.create({ data: { ...event, details: jsonOf(event.details) }, select: { id: true } }),

    /** Whether the entry is there for `db` to see: a transaction sees another one's only once it committed. */
    exists: async (id: string, db: PrismaTx = prisma): Promise<boolean> =>
      (await db.auditEvent.findUnique({ where: { id }, select: { id: true } })) !== null,

    /** Sets the details of an entry a change's transaction wrote, from the request that wrote it; false when there is none. */
    completeDetails: async (id: string, details: Record<string, unknown>): Promise<boolean> =>
      (await prisma.auditEvent.updateMany({ where: { id }, data: { details: jsonOf(details) } })).count === 1,

    /** Newest first, (at, id) descending, after the given key. */
    list: (take: number, filter: AuditFilter, key?: [string, string]) =>
      prisma.auditEvent.findMany({
        where: {
          AND: [
            {
              ...(filter.actor ? { actor: filter.actor } : {}),
              ...(filter.action ? { action: filter.action } : {}),
              ...(filter.targetType ? { targetType: filter.targetType } : {}),
              ...(filter.targetId ? { targetId: filter.targetId } : {}),
              ...(filter.from || filter.to
                ? { at: { ...(filter.from ? { gte: filter.from } : {}), ...(filter.to ? { lt: filter.to } : {}) } }
                : {}),
            },
            ...(key ? [olderThan('at', key)] : []),
          ],
        },
        orderBy: [{ at: 'desc' }, { id: 'desc' }],
        take,
      }),
  };
}

export type AuditRepository = ReturnType<typeof createAuditRepository>;

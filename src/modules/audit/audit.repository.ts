import type { Prisma, PrismaNamespace } from '../../db/database.ts';
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

/** Append-only: there is no update or delete here, on purpose. */
export function createAuditRepository({ prisma }: { prisma: Prisma }) {
  return {
    insert: (event: AuditEventInput & { at: Date }) =>
      prisma.auditEvent.create({
        data: { ...event, details: (event.details ?? undefined) as PrismaNamespace.InputJsonValue | undefined },
        select: { id: true },
      }),

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

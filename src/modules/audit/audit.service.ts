import type { AuditEventInput } from '../../shared/audit-event.ts';
import { decodeCursor, isDateIdKey, toPage, type Page } from '../../shared/cursor.ts';
import type { AuditEventRow, AuditRepository } from './audit.repository.ts';
import type { AuditEventResponse, ListAuditEventsInput } from './audit.schemas.ts';

function toAuditEventResponse(row: AuditEventRow): AuditEventResponse {
  const details =
    row.details && typeof row.details === 'object' && !Array.isArray(row.details) ? (row.details as Record<string, unknown>) : null;
  return {
    id: row.id,
    at: row.at.toISOString(),
    actor: row.actor,
    action: row.action,
    targetType: row.targetType,
    targetId: row.targetId,
    requestId: row.requestId,
    details,
  };
}

export type AuditEvent = Omit<AuditEventInput, 'targetType' | 'targetId' | 'requestId' | 'details'> &
  Partial<Pick<AuditEventInput, 'targetType' | 'targetId' | 'requestId' | 'details'>>;

export interface AuditServiceDeps {
  repo: AuditRepository;
  now: () => Date;
}

export function createAuditService({ repo, now }: AuditServiceDeps) {
  return {
    /** Appends an event to the audit log, stamped with the injected clock. */
    async record(event: AuditEvent): Promise<void> {
      await repo.insert({
        actor: event.actor,
        action: event.action,
        targetType: event.targetType ?? null,
        targetId: event.targetId ?? null,
        requestId: event.requestId ?? null,
        details: event.details ?? null,
        at: now(),
      });
    },

    async list(query: ListAuditEventsInput): Promise<Page<AuditEventResponse>> {
      const key = query.cursor ? decodeCursor(query.cursor, isDateIdKey) : undefined;
      const rows = await repo.list(
        query.limit + 1,
        {
          actor: query.actor,
          action: query.action,
          targetType: query.targetType,
          targetId: query.targetId,
          from: query.from ? new Date(query.from) : undefined,
          to: query.to ? new Date(query.to) : undefined,
        },
        key,
      );
      return toPage(rows, query.limit, toAuditEventResponse, (r) => [r.at.toISOString(), r.id]);
    },
  };
}

export type AuditService = ReturnType<typeof createAuditService>;

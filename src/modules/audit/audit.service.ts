import type { PrismaTx } from '../../db/database.ts';
import type { AuditEventInput } from '../../shared/audit-event.ts';
import { currentAuditIntent, type AuditTrail, type WrittenAuditEntry } from '../../shared/audit-intent.ts';
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

const detailsOrNull = (details: Record<string, unknown> | null | undefined) =>
  details && Object.keys(details).length ? { ...details } : null;

export function createAuditService({ repo, now }: AuditServiceDeps) {
  const stamped = (event: AuditEvent): AuditEventInput & { at: Date } => ({
    actor: event.actor,
    action: event.action,
    targetType: event.targetType ?? null,
    targetId: event.targetId ?? null,
    requestId: event.requestId ?? null,
    details: detailsOrNull(event.details),
    at: now(),
  });

  /** The current request's entry, written in the transaction of the change it makes (see AuditTrail). */
  const trail: AuditTrail = {
    async record(tx, target, details) {
      const intent = currentAuditIntent();
      if (!intent || intent.targetType !== target.type) return;
      if (details) Object.assign(intent.details, details);
      const written = intent.written;
      // Written by an earlier transaction of the request: again only if that one rolled back (its entry is not to be seen).
      if (written && (written.tx === tx || (written.id !== null && (await repo.exists(written.id, tx))))) return;
      const entry: WrittenAuditEntry = { id: null, tx, details: detailsOrNull(intent.details) };
      intent.written = entry;
      const { actor, action, targetType, requestId } = intent;
      const row = await repo.insert({ actor, action, targetType, targetId: target.id, requestId, details: entry.details, at: now() }, tx);
      entry.id = row.id;
    },
  };

  return {
    trail,

    /**
     * Appends an event to the audit log, stamped with the injected clock. With `written`, the entry a
     * change's transaction wrote for this request: it is only completed with the details added since, or
     * appended after all when that transaction rolled back and the request succeeded another way.
     */
    async record(event: AuditEvent, written?: WrittenAuditEntry): Promise<void> {
      if (written?.id) {
        const details = detailsOrNull(event.details);
        const isCompleted =
          details && JSON.stringify(details) !== JSON.stringify(written.details)
            ? await repo.completeDetails(written.id, details)
            : await repo.exists(written.id);
        if (isCompleted) return;
      }
      await repo.insert(stamped(event));
    },

    /** Appends an event in the caller's transaction: it commits with the change it records (a sign-in's session). */
    async recordIn(tx: PrismaTx, event: AuditEvent): Promise<void> {
      await repo.insert(stamped(event), tx);
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

import type { PrismaTx } from '../db/database.ts';
import type { AuditTrail } from './audit-intent.ts';

/** The changes other systems hear about through webhooks, `<entity>.<what happened>`. */
export const domainEventTypes = [
  'article.created',
  'article.updated',
  'article.published',
  'article.unpublished',
  'article.scheduled',
  'article.deleted',
  'article.corrected',
  'article.narrated',
  'rubric.created',
  'rubric.updated',
  'rubric.deleted',
  'tag.created',
  'tag.updated',
  'tag.deleted',
  'feed_item.created',
  'feed_item.updated',
  'feed_item.deleted',
  'media.created',
  'media.updated',
  'media.deleted',
  'live_entry.created',
  'live_entry.updated',
  'live_entry.deleted',
] as const;
export type DomainEventType = (typeof domainEventTypes)[number];

/** A change as a service describes it, inside the transaction that makes it. */
export interface DomainEvent {
  type: DomainEventType;
  /** The record changed: its id, slug (null for records without one) and version after the change. */
  entity: { id: string; slug: string | null; version: number; rubricId?: string | null };
  /** "user:<id>", "apiKey:<id>", or "system" for the app itself. */
  actor: string;
  /** A few facts particular to the event (the publication time of a scheduled article). */
  details?: Record<string, unknown>;
}

/**
 * Where services put their events: `record` writes the event in the caller's transaction (so a change
 * is never committed without its event, and a rolled-back change leaves none); `committed` is called
 * after that transaction commits, to start delivering at once rather than at the next poll.
 */
export interface EventRecorder {
  record(tx: PrismaTx, event: DomainEvent): Promise<void>;
  committed(): void;
}

/** For services built without webhooks (scripts, some tests). */
export const noEventRecorder: EventRecorder = { record: async () => undefined, committed: () => undefined };

/** The type of record an event is about: `feed_item` for `feed_item.created`. */
export function entityTypeOf(type: DomainEventType): string {
  return type.slice(0, type.indexOf('.'));
}

/**
 * Every service that changes content records its event in the change's transaction: the request's
 * audit entry is written there too, naming the event's record, so change, event and entry commit together.
 */
export function withAuditTrail(events: EventRecorder, trail: AuditTrail): EventRecorder {
  return {
    async record(tx, event) {
      await events.record(tx, event);
      await trail.record(tx, { type: entityTypeOf(event.type), id: event.entity.id });
    },
    committed: () => events.committed(),
  };
}

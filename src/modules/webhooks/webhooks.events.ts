import { keysPurgedBy } from '../../shared/cache-keys.ts';
import { domainEventTypes, type DomainEvent } from '../../shared/domain-events.ts';

/** The event a ping sends: only to the subscription pinged, whatever it subscribes to. */
export const pingEventType = 'webhook.ping';

const entities = [...new Set(domainEventTypes.map((type) => type.slice(0, type.indexOf('.'))))];

/** `article.published`, `article.*` or `*`. */
export function isEventPattern(pattern: string): boolean {
  if (pattern === '*') return true;
  if (pattern.endsWith('.*')) return entities.includes(pattern.slice(0, -2));
  return (domainEventTypes as readonly string[]).includes(pattern);
}

export function matchesPatterns(patterns: readonly string[], type: string): boolean {
  return patterns.some((p) => p === '*' || p === type || (p.endsWith('.*') && type.startsWith(p.slice(0, -1))));
}

/** What a subscription receives: the events it names, about its rubric when it has one. */
export function isWantedBy(
  subscription: { events: unknown; rubricId: string | null },
  event: { type: string; rubricId: string | null },
): boolean {
  const patterns = Array.isArray(subscription.events) ? (subscription.events as string[]) : [];
  if (!matchesPatterns(patterns, event.type)) return false;
  return subscription.rubricId === null || subscription.rubricId === event.rubricId;
}

/** The `data` of an event's body: the record, who changed it, and the cache keys to purge. */
export function eventData(event: DomainEvent): Record<string, unknown> {
  const entityType = event.type.slice(0, event.type.indexOf('.'));
  const keys = keysPurgedBy({ targetType: entityType, targetId: event.entity.id });
  return {
    id: event.entity.id,
    slug: event.entity.slug,
    version: event.entity.version,
    ...(event.entity.rubricId !== undefined ? { rubricId: event.entity.rubricId } : {}),
    actor: event.actor,
    surrogateKeys: keys === 'everything' ? ['all'] : keys,
    ...(event.details ?? {}),
  };
}

/** The delivered body, the same on every attempt: `{ id, type, timestamp, data }`. */
export function eventBody(event: { id: string; type: string; occurredAt: Date; data: unknown }): string {
  return JSON.stringify({ id: event.id, type: event.type, timestamp: event.occurredAt.toISOString(), data: event.data });
}

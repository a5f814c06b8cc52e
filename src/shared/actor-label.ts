import type { Actor } from './actor.ts';

/** How a caller is named in the audit log and in idempotency records: "user:<id>", "apiKey:<id>", a system actor's name, or "anonymous". */
export function actorLabel(actor: Actor | undefined): string {
  if (!actor) return 'anonymous';
  if (actor.type === 'system') return actor.name;
  return actor.type === 'user' ? `user:${actor.userId}` : `apiKey:${actor.apiKeyId}`;
}

import type { Actor } from './actor.ts';

/** How a caller is named in the audit log and in idempotency records: "user:<id>", "apiKey:<id>" or "anonymous". */
export function actorLabel(actor: Actor | undefined): string {
  if (!actor) return 'anonymous';
  return actor.type === 'user' ? `user:${actor.userId}` : `apiKey:${actor.apiKeyId}`;
}

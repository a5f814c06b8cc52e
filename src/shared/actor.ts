export const roles = ['admin', 'editor', 'author'] as const;
export type Role = (typeof roles)[number];

/** What an API key may do: read content, write content, publish, manage media, administer, report comment counts. */
export const scopes = ['read', 'write', 'publish', 'media', 'admin', 'comments'] as const;
export type Scope = (typeof scopes)[number];

/** Who makes a management request: a signed-in user or a newsroom tool's API key. */
export type Actor = { type: 'user'; userId: string; role: Role } | { type: 'apiKey'; apiKeyId: string; scopes: Scope[] } | SystemActor;

/**
 * Work the server does on its own, never a caller of the API (the wire poller importing a source's items):
 * allowed what its scopes allow, as an API key would be, and named `name` in the audit log (`wire:<sourceId>`).
 */
export interface SystemActor {
  type: 'system';
  name: string;
  scopes: Scope[];
}

export function isRole(actor: Actor, ...accepted: Role[]): boolean {
  return actor.type === 'user' && accepted.includes(actor.role);
}

/** The user id to record as creator, or null for an API key. */
export function userIdOf(actor: Actor): string | null {
  return actor.type === 'user' && actor.userId ? actor.userId : null;
}

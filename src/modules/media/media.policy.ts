import type { Actor } from '../../shared/actor.ts';

/**
 * Whether the caller may change what readers see, as publishing does: the editor and admin roles, and
 * API keys with the publish (or admin) scope. Authors and write- or media-only keys may not.
 */
export function mayChangeWhatThePublicSees(actor: Actor): boolean {
  return actor.type === 'user'
    ? actor.role === 'editor' || actor.role === 'admin'
    : actor.scopes.includes('publish') || actor.scopes.includes('admin');
}

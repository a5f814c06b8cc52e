import type { PrismaNamespace } from '../db/database.ts';

/*
 * A session is one sign-in: the family of refresh tokens it rotated through (its id is the family id, the
 * `sid` of its access tokens). Ending it revokes the family's tokens; a token a concurrent rotation minted
 * just after may be left unrevoked, so one revoked member means the whole session has ended.
 */

/** The user's refresh tokens include the session, and none of its tokens is revoked: the session stands. */
export function liveSessionWhere(sessionId: string): PrismaNamespace.RefreshTokenListRelationFilter {
  return { some: { familyId: sessionId }, none: { familyId: sessionId, revokedAt: { not: null } } };
}

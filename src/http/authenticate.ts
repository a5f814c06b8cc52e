import type { Request } from 'express';
import { UnauthorizedError } from '../errors.ts';
import type { Actor } from '../shared/actor.ts';
import { apiKeyPrefix } from '../shared/api-key-prefix.ts';

export interface AuthenticateDeps {
  /** Verifies a JWT access token and returns its subject and session, or throws UnauthorizedError. */
  verifyAccessToken(token: string): { userId: string; sessionId: string };
  /**
   * The actor for an active user whose session still stands, or null, in one query: a signed-out or revoked
   * session is refused on every instance from the moment it ends.
   */
  findUserActor(userId: string, sessionId: string): Promise<Actor | null>;
  /** The actor for an active API key given its secret, or null. */
  findApiKeyActor(secret: string): Promise<Actor | null>;
}

/** Resolves the caller of a management request from `Authorization: Bearer` or `X-API-Key`. */
export function createAuthenticate(deps: AuthenticateDeps): (req: Request) => Promise<Actor> {
  return async (req) => {
    const header = req.get('authorization');
    const apiKeyHeader = req.get('x-api-key');
    if (header && apiKeyHeader) throw new UnauthorizedError('Send either Authorization or X-API-Key, not both.');
    if (apiKeyHeader) return apiKeyActor(apiKeyHeader);
    if (!header) throw new UnauthorizedError();
    const match = /^Bearer ([^\s]+)$/i.exec(header);
    if (!match?.[1]) throw new UnauthorizedError('Use the Bearer scheme: "Authorization: Bearer <token>".');
    const credential = match[1];
    if (credential.startsWith(apiKeyPrefix)) return apiKeyActor(credential);
    const { userId, sessionId } = deps.verifyAccessToken(credential);
    const actor = await deps.findUserActor(userId, sessionId);
    if (!actor) {
      throw new UnauthorizedError(
        'The sign-in of this token has ended (signed out, or revoked by a change to the account), ' +
          'or the account is gone or disabled; sign in again.',
      );
    }
    return actor;
  };

  async function apiKeyActor(secret: string): Promise<Actor> {
    const actor = secret.startsWith(apiKeyPrefix) ? await deps.findApiKeyActor(secret) : null;
    if (!actor) throw new UnauthorizedError('The API key is unknown or revoked.');
    return actor;
  }
}

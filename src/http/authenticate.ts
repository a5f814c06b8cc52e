import type { Request } from 'express';
import { UnauthorizedError } from '../errors.ts';
import type { Actor } from '../shared/actor.ts';
import { apiKeyPrefix } from '../shared/api-key-prefix.ts';

export interface AuthenticateDeps {
  /** Verifies a JWT access token and returns its subject, or throws UnauthorizedError. */
  verifyAccessToken(token: string): { userId: string };
  /** The actor for an active user, or null. */
  findUserActor(userId: string): Promise<Actor | null>;
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
    const { userId } = deps.verifyAccessToken(credential);
    const actor = await deps.findUserActor(userId);
    if (!actor) throw new UnauthorizedError('The account of this token no longer exists or is disabled.');
    return actor;
  };

  async function apiKeyActor(secret: string): Promise<Actor> {
    const actor = secret.startsWith(apiKeyPrefix) ? await deps.findApiKeyActor(secret) : null;
    if (!actor) throw new UnauthorizedError('The API key is unknown or revoked.');
    return actor;
  }
}

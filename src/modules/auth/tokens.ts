import { UnauthorizedError } from '../../errors.ts';
import { createSignedTokens, type TokenRefusal } from '../../shared/signed-tokens.ts';

const refusals: Record<TokenRefusal, string> = {
  expired: 'The access token has expired; refresh it.',
  unbounded: 'The access token must expire, within the access-token lifetime of this server.',
  invalid: 'The access token is not valid.',
};

/**
 * Access tokens: each belongs to a session (`sid`, the refresh-token family of one sign-in), so ending
 * the session ends its access tokens at once, not when they expire.
 */
export function createAccessTokens(options: { secret: string; ttlSeconds: number; now: () => Date }) {
  const tokens = createSignedTokens({ ...options, audience: 'newsroom-cms-management', type: 'access' });
  return {
    ttlSeconds: options.ttlSeconds,

    sign: (userId: string, sessionId: string): string => tokens.sign(userId, { sid: sessionId }).token,

    /**
     * One algorithm, issuer, audience, an expiry within the TTL and a session checked; `alg: none`, other keys
     * and tampering fail. Whether the session still stands is the authenticate step's question (it asks the database).
     */
    verify(token: string): { userId: string; sessionId: string } {
      const check = tokens.verify(token);
      if (check.subject === null) throw new UnauthorizedError(refusals[check.refusal]);
      const sessionId = check.claims.sid;
      if (typeof sessionId !== 'string' || sessionId === '') throw new UnauthorizedError(refusals.invalid);
      return { userId: check.subject, sessionId };
    },
  };
}

export type AccessTokens = ReturnType<typeof createAccessTokens>;

import jwt from 'jsonwebtoken';

const algorithm = 'HS256';
const issuer = 'newsroom-cms';
/** How far ahead of our clock a token's `iat` may be: the clocks of two instances are never quite the same. */
const issuedAheadToleranceSeconds = 30;

/** Why a token was refused: it expired, it does not say when it expires or lives too long, or anything else. */
export type TokenRefusal = 'expired' | 'unbounded' | 'invalid';

/** What a token check found: the subject and the token's claims, or why there is none. */
export type TokenCheck = { subject: string; claims: Readonly<Record<string, unknown>> } | { subject: null; refusal: TokenRefusal };

/**
 * Signed tokens of one kind: one algorithm, issuer and audience, and a `typ` claim, so a token of one
 * kind (an access token, a preview link) is never taken for another. Times come from the app's clock,
 * so tests can expire tokens without waiting.
 */
export function createSignedTokens(options: { secret: string; ttlSeconds: number; now: () => Date; audience: string; type: string }) {
  const { secret, ttlSeconds, audience, type } = options;
  const nowInSeconds = () => Math.floor(options.now().getTime() / 1000);

  /**
   * A token lives no longer than its kind's TTL: it names both `iat` and `exp`, at most the TTL apart, and
   * was not issued in the future (which would stretch its life from now). A token without `exp` would last forever.
   */
  const hasBoundedLifetime = (payload: jwt.JwtPayload, now: number) =>
    typeof payload.iat === 'number' &&
    typeof payload.exp === 'number' &&
    payload.exp - payload.iat <= ttlSeconds &&
    payload.iat <= now + issuedAheadToleranceSeconds;

  return {
    /** A token for the subject, with claims of its kind (`sid`…) beside the standard ones. */
    sign(subject: string, claims: Record<string, string> = {}): { token: string; expiresAt: Date } {
      const iat = nowInSeconds();
      const exp = iat + ttlSeconds;
      const token = jwt.sign({ ...claims, typ: type, iat, exp }, secret, { algorithm, issuer, audience, subject });
      return { token, expiresAt: new Date(exp * 1000) };
    },

    /** The subject of a valid token of this kind; `alg: none`, other keys, other kinds, tampering, expiry and unbounded lifetimes fail. */
    verify(token: string): TokenCheck {
      const now = nowInSeconds();
      try {
        const payload = jwt.verify(token, secret, { algorithms: [algorithm], issuer, audience, clockTimestamp: now });
        if (typeof payload !== 'object' || payload.typ !== type || typeof payload.sub !== 'string')
          return { subject: null, refusal: 'invalid' };
        if (!hasBoundedLifetime(payload, now)) return { subject: null, refusal: 'unbounded' };
        return { subject: payload.sub, claims: payload };
      } catch (error) {
        return { subject: null, refusal: error instanceof jwt.TokenExpiredError ? 'expired' : 'invalid' };
      }
    },
  };
}

import jwt from 'jsonwebtoken';
import { UnauthorizedError } from '../../errors.ts';

const algorithm = 'HS256';
const issuer = 'newsroom-cms';
const audience = 'newsroom-cms-management';

export function createAccessTokens(options: { secret: string; ttlSeconds: number; now: () => Date }) {
  return {
    ttlSeconds: options.ttlSeconds,

    sign(userId: string): string {
      // Times come from the app's clock, so tests can expire tokens without waiting.
      const iat = Math.floor(options.now().getTime() / 1000);
      return jwt.sign({ typ: 'access', iat, exp: iat + options.ttlSeconds }, options.secret, {
        algorithm,
        issuer,
        audience,
        subject: userId,
      });
    },

    /** One algorithm, issuer, audience and expiry checked; `alg: none`, other keys and tampering fail. */
    verify(token: string): { userId: string } {
      try {
        const payload = jwt.verify(token, options.secret, {
          algorithms: [algorithm],
          issuer,
          audience,
          clockTimestamp: Math.floor(options.now().getTime() / 1000),
        });
        if (typeof payload !== 'object' || payload.typ !== 'access' || typeof payload.sub !== 'string')
          throw new Error('not an access token');
        return { userId: payload.sub };
      } catch (error) {
        const expired = error instanceof jwt.TokenExpiredError;
        throw new UnauthorizedError(expired ? 'The access token has expired; refresh it.' : 'The access token is not valid.');
      }
    },
  };
}

export type AccessTokens = ReturnType<typeof createAccessTokens>;

import jwt from 'jsonwebtoken';

const algorithm = 'HS256';
const issuer = 'newsroom-cms';
// An audience of its own: a preview token is never an access token, nor the other way round.
const audience = 'newsroom-cms-preview';

/** Short-lived signed links that show one article in the public shape without making it public. */
export function createPreviewTokens(options: { secret: string; ttlSeconds: number; now: () => Date }) {
  return {
    sign(articleId: string): { token: string; expiresAt: Date } {
      const iat = Math.floor(options.now().getTime() / 1000);
      const exp = iat + options.ttlSeconds;
      const token = jwt.sign({ typ: 'preview', iat, exp }, options.secret, { algorithm, issuer, audience, subject: articleId });
      return { token, expiresAt: new Date(exp * 1000) };
    },

    /** The article id the token was made for, or null when it is expired, tampered with or not a preview token. */
    verify(token: string): string | null {
      try {
        const payload = jwt.verify(token, options.secret, {
          algorithms: [algorithm],
          issuer,
          audience,
          clockTimestamp: Math.floor(options.now().getTime() / 1000),
        });
        return typeof payload === 'object' && payload.typ === 'preview' && typeof payload.sub === 'string' ? payload.sub : null;
      } catch {
        return null;
      }
    },
  };
}

export type PreviewTokens = ReturnType<typeof createPreviewTokens>;

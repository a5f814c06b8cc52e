import { createSignedTokens } from '../../shared/signed-tokens.ts';

/** Short-lived signed links that show one article in the public shape without making it public. */
export function createPreviewTokens(options: { secret: string; ttlSeconds: number; now: () => Date }) {
  // An audience of its own: a preview token is never an access token, nor the other way round.
  const tokens = createSignedTokens({ ...options, audience: 'newsroom-cms-preview', type: 'preview' });
  return {
    sign: (articleId: string): { token: string; expiresAt: Date } => tokens.sign(articleId),

    /** The article id the token was made for, or null when it is expired, tampered with or not a preview token. */
    verify: (token: string): string | null => tokens.verify(token).subject,
  };
}

export type PreviewTokens = ReturnType<typeof createPreviewTokens>;

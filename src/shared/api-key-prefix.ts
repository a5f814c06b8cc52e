/** API keys carry a prefix so that a Bearer value is recognised as a key, not a JWT. */
export const apiKeyPrefix = 'nk_';

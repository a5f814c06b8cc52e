import { createHash, randomBytes } from 'node:crypto';

/** A new bearer secret: 256 random bits after a prefix that tells what it is. */
export const newSecretToken = (prefix: string) => `${prefix}${randomBytes(32).toString('base64url')}`;

// The secrets are 256 random bits, so a fast hash is enough to store them: there is nothing to guess by brute force.
export const hashSecretToken = (token: string) => createHash('sha256').update(token).digest('hex');

import { randomBytes, scrypt as scryptCallback, timingSafeEqual, type ScryptOptions } from 'node:crypto';
import { ServerBusyError } from '../errors.ts';
import { createWorkQueue, QueueFullError } from './work-queue.ts';

/** A key derivation with scrypt's signature (Node's, promised). */
export type DeriveKey = (password: string, salt: Buffer, keyLength: number, options: ScryptOptions) => Promise<Buffer>;

const scrypt: DeriveKey = (password, salt, keyLength, options) =>
  new Promise((resolve, reject) =>
    scryptCallback(password, salt, keyLength, options, (error, key) => (error ? reject(error) : resolve(key))),
  );

// scrypt is memory-hard and built into Node: N=2^15, r=8 needs 32 MiB per hash.
const cost = { N: 2 ** 15, r: 8, p: 1 };
const keyLength = 32;
const maxmem = 64 * 1024 * 1024;

export interface PasswordHasher {
  /** `scrypt$N$r$p$salt$hash`, so the cost can be raised later without breaking stored hashes. */
  hash(password: string): Promise<string>;
  verify(password: string, stored: string): Promise<boolean>;
  /** A hash of a random password, checked against when the e-mail is unknown so both cases take as long. */
  unknownUserHash(): Promise<string>;
}

export interface PasswordHasherDeps {
  /** Hashes computed at once, at most; the others wait their turn. */
  concurrency: number;
  /** Hashes waiting for a turn, at most; one more is refused with ServerBusyError (503). Default: no limit. */
  maxWaiting?: number;
  /** The key derivation; scrypt unless a test counts the ones running at once. */
  deriveKey?: DeriveKey;
}

/**
 * Hashes and checks passwords with scrypt, a few at a time. scrypt runs on libuv's thread pool (4 threads
 * by default), which file reads use too: a flood of sign-ins must queue here, not fill the pool and stall
 * every media file behind it.
 */
export function createPasswordHasher(deps: PasswordHasherDeps): PasswordHasher {
  const derive = deps.deriveKey ?? scrypt;
  const hashing = createWorkQueue({
    concurrency: deps.concurrency,
    ...(deps.maxWaiting === undefined ? {} : { maxWaiting: deps.maxWaiting }),
  });
  const inTurn = <T>(task: () => Promise<T>) =>
    hashing.run(task).catch((error: unknown) => {
      if (error instanceof QueueFullError)
        throw new ServerBusyError('This server is checking as many passwords as it takes at once. Retry after Retry-After.');
      throw error;
    });
  let unknownUserHash: Promise<string> | undefined;

  const hash = async (password: string) => {
    const salt = randomBytes(16);
    const key = await inTurn(() => derive(password, salt, keyLength, { ...cost, maxmem }));
    return ['scrypt', cost.N, cost.r, cost.p, salt.toString('base64url'), key.toString('base64url')].join('$');
  };

  return {
    hash,
    async verify(password, stored) {
      const [scheme, n, r, p, salt, hash] = stored.split('$');
      if (scheme !== 'scrypt' || !n || !r || !p || !salt || !hash) return false;
      const expected = Buffer.from(hash, 'base64url');
      const options = { N: Number(n), r: Number(r), p: Number(p), maxmem };
      const key = await inTurn(() => derive(password, Buffer.from(salt, 'base64url'), expected.length, options));
      return timingSafeEqual(key, expected);
    },
    unknownUserHash: () => (unknownUserHash ??= hash(randomBytes(16).toString('hex'))),
  };
}

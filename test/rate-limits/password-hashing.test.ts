import { scrypt } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { createPasswordHasher, type DeriveKey } from '../../src/shared/passwords.ts';

/** Node's scrypt, counting the derivations running at once. */
function countedScrypt() {
  const counts = { running: 0, most: 0, total: 0 };
  const derive: DeriveKey = (password, salt, keyLength, options) => {
    counts.running++;
    counts.total++;
    counts.most = Math.max(counts.most, counts.running);
    return new Promise((resolve, reject) =>
      scrypt(password, salt, keyLength, options, (error, key) => {
        counts.running--;
        if (error) reject(error);
        else resolve(key);
      }),
    );
  };
  return { derive, counts };
}

describe('password hashing', () => {
  it('when twelve sign-ins check passwords at once, then at most two hashes run at a time and every answer is right', async () => {
    const { derive, counts } = countedScrypt();
    const hasher = createPasswordHasher({ concurrency: 2, deriveKey: derive });
    const stored = await hasher.hash('correct-horse-battery-staple');
    counts.most = 0;

    const answers = await Promise.all(
      Array.from({ length: 12 }, (_, i) => hasher.verify(i % 3 === 0 ? 'correct-horse-battery-staple' : `wrong-${i}`, stored)),
    );

    expect(counts.total).toBe(13);
    expect(counts.most).toBe(2);
    expect(answers).toEqual(Array.from({ length: 12 }, (_, i) => i % 3 === 0));
  });

  it('when a hash fails, then its turn passes on to the next one waiting', async () => {
    let calls = 0;
    const failingOnce: DeriveKey = async (...args) => {
      calls++;
      if (calls === 1) throw new Error('out of memory');
      return countedScrypt().derive(...args);
    };
    const hasher = createPasswordHasher({ concurrency: 1, deriveKey: failingOnce });
    const [first, second] = await Promise.allSettled([hasher.hash('first-password'), hasher.hash('second-password')]);
    expect(first.status).toBe('rejected');
    expect(second).toMatchObject({ status: 'fulfilled', value: expect.stringMatching(/^scrypt\$32768\$8\$1\$/) });
  });

  it('when more hashes wait than maxWaiting, then the next one is refused at once with server_busy, and the queued ones finish', async () => {
    const { derive } = countedScrypt();
    const hasher = createPasswordHasher({ concurrency: 1, maxWaiting: 2, deriveKey: derive });
    const results = await Promise.allSettled(Array.from({ length: 5 }, (_, i) => hasher.hash(`password-${i}`)));
    // One runs, two wait, and two are refused.
    expect(results.map((result) => result.status)).toEqual(['fulfilled', 'fulfilled', 'fulfilled', 'rejected', 'rejected']);
    expect((results[3] as PromiseRejectedResult).reason).toMatchObject({ status: 503, code: 'server_busy' });
    // Once the queue has drained, hashing goes on as before.
    await expect(hasher.hash('after-the-flood')).resolves.toMatch(/^scrypt\$/);
  });
});

import { expect, it } from 'vitest';
import { describeEachDialect, useTestApp } from '../support/test-app.ts';

describeEachDialect('management calls', (dialect) => {
  const { t, importer, robot, editor, other } = useTestApp(dialect, {
    users: { editor: 'editor', other: 'editor' },
    keys: { importer: ['read', 'write'], robot: ['read', 'write'] },
    env: { RATE_LIMIT_MANAGEMENT: '3/1m' },
  });

  it('when an API key makes more calls in a minute than its limit, then 429 for it while another key goes on', async () => {
    for (let i = 1; i <= 3; i++) {
      const res = await t.http().get('/v1/admin/rubrics').set(importer.headers).expect(200);
      expect(res.headers['ratelimit-policy']).toBe('"management";q=3;w=60');
      expect(res.headers.ratelimit).toMatch(new RegExp(`^"management";r=${3 - i};t=\\d+$`));
    }
    // A write with an Idempotency-Key is refused before its key is claimed: nothing is stored for a replay.
    const refused = await t
      .http()
      .post('/v1/admin/rubrics')
      .set(importer.headers)
      .set('Idempotency-Key', 'a-key-of-a-refused-call')
      .send({ name: 'Не создана' })
      .expect(429);
    expect(refused.type).toBe('application/problem+json');
    expect(refused.body).toMatchObject({ status: 429, code: 'rate_limited' });
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(refused.headers.ratelimit).toMatch(/^"management";r=0;t=\d+$/);
    await t.http().get('/v1/admin/rubrics').set(robot.headers).expect(200);
  });

  it('when a user makes more calls in a minute than the limit, then 429 for that user only', async () => {
    for (let i = 0; i < 3; i++) await t.http().get('/v1/admin/rubrics').set(editor.headers).expect(200);
    await t.http().get('/v1/admin/articles').set(editor.headers).expect(429);
    await t.http().get('/v1/admin/rubrics').set(other.headers).expect(200);
  });
});

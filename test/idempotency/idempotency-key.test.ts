import { randomUUID } from 'node:crypto';
import { expect, it } from 'vitest';
import { describeEachDialect, useTestApp } from '../support/test-app.ts';

describeEachDialect('Idempotency-Key on management POSTs', (dialect) => {
  const { t, editor } = useTestApp(dialect, { roles: ['editor'] });

  const createRubric = (key: string, body: Record<string, unknown>, headers: Record<string, string> = editor.headers) =>
    t.http().post('/v1/admin/rubrics').set(headers).set('Idempotency-Key', key).send(body);
  const rubricsNamed = (name: string) => t.container.db.prisma.rubric.count({ where: { name } });

  it('when a create is retried with the same key, then the first answer comes back, marked replayed, and one rubric exists', async () => {
    const key = randomUUID();
    const first = await createRubric(key, { name: 'Повтор', position: 3 }).expect(201);
    expect(first.headers['idempotent-replayed']).toBeUndefined();
    const retry = await createRubric(key, { position: 3, name: 'Повтор' }).expect(201);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.etag).toBe(first.headers.etag);
    expect(retry.type).toBe('application/json');
    expect(retry.headers['x-request-id']).not.toBe(first.headers['x-request-id']);
    expect(await rubricsNamed('Повтор')).toBe(1);
  });

  it('when the key is sent as a structured-field string, then it is the same key as the bare one', async () => {
    const key = randomUUID();
    const first = await createRubric(key, { name: 'Кавычки' }).expect(201);
    const retry = await createRubric(`"${key}"`, { name: 'Кавычки' }).expect(201);
    expect(retry.body.id).toBe(first.body.id);
  });

  it('when the same key comes with a different body, then 422 idempotency_key_reused and nothing is created', async () => {
    const key = randomUUID();
    await createRubric(key, { name: 'Первая' }).expect(201);
    const res = await createRubric(key, { name: 'Вторая' }).expect(422);
    expect(res.type).toBe('application/problem+json');
    expect(res.body.code).toBe('idempotency_key_reused');
    expect(await rubricsNamed('Вторая')).toBe(0);
  });

  it('when the same key is used on another path, then 422 as well', async () => {
    const key = randomUUID();
    await createRubric(key, { name: 'Путь' }).expect(201);
    const res = await t.http().post('/v1/admin/tags').set(editor.headers).set('Idempotency-Key', key).send({ name: 'Путь' }).expect(422);
    expect(res.body.code).toBe('idempotency_key_reused');
  });

  it('when two callers use the same key, then each gets their own creation', async () => {
    const key = randomUUID();
    const one = await t.apiKey(['write']);
    const two = await t.apiKey(['write']);
    const a = await createRubric(key, { name: 'Двое' }, one.headers).expect(201);
    const b = await createRubric(key, { name: 'Двое' }, two.headers).expect(201);
    expect(a.body.id).not.toBe(b.body.id);
    expect(b.headers['idempotent-replayed']).toBeUndefined();
    expect(await rubricsNamed('Двое')).toBe(2);
  });

  it('when the key is longer than 255 characters or empty, then 400 and nothing is created', async () => {
    const res = await createRubric('k'.repeat(256), { name: 'Длинный' }).expect(400);
    expect(res.body.errors).toEqual([expect.objectContaining({ field: 'header.idempotency-key' })]);
    await createRubric('""', { name: 'Длинный' }).expect(400);
    await createRubric('k'.repeat(255), { name: 'Длинный' }).expect(201);
    expect(await rubricsNamed('Длинный')).toBe(1);
  });

  it('when the first answer was a client error, then the retry gets the same error replayed and runs nothing', async () => {
    const key = randomUUID();
    const body = { name: 'Ошибка', parentId: randomUUID() };
    const first = await createRubric(key, body).expect(422);
    await t.container.db.prisma.rubric.create({ data: { id: body.parentId, name: 'Родитель', slug: `roditel-${body.parentId}` } });
    const retry = await createRubric(key, body).expect(422);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.body).toEqual(first.body);
    expect(await rubricsNamed('Ошибка')).toBe(0);
  });

  it('when a caller lacks the scope, then the 403 is not stored: with the scope granted, the same key runs', async () => {
    const key = randomUUID();
    const reader = await t.apiKey(['read']);
    await createRubric(key, { name: 'Права' }, reader.headers).expect(403);
    expect(await t.container.db.prisma.idempotencyRecord.count({ where: { key } })).toBe(0);
  });

  it('when the record has expired (after 24 hours), then the same key runs again', async () => {
    const key = randomUUID();
    await createRubric(key, { name: 'Сутки' }).expect(201);
    t.clock.advance(24 * 60 * 60 * 1000 + 1000);
    // The same caller, with an access token valid at the new time.
    editor.headers = { Authorization: `Bearer ${t.container.tokens.sign(editor.user.id, editor.sessionId)}` };
    const again = await createRubric(key, { name: 'Сутки' }).expect(201);
    expect(again.headers['idempotent-replayed']).toBeUndefined();
    expect(await rubricsNamed('Сутки')).toBe(2);
  });

  it('when a feed item creation is replayed, then its ETag comes back too', async () => {
    const key = randomUUID();
    const first = await t
      .http()
      .post('/v1/admin/feed-items')
      .set(editor.headers)
      .set('Idempotency-Key', key)
      .send({ kind: 'link', headline: 'Ссылка', url: 'https://example.org' })
      .expect(201);
    const retry = await t
      .http()
      .post('/v1/admin/feed-items')
      .set(editor.headers)
      .set('Idempotency-Key', key)
      .send({ kind: 'link', headline: 'Ссылка', url: 'https://example.org' })
      .expect(201);
    expect(retry.body).toEqual(first.body);
    expect(retry.headers.etag).toBe('"1"');
  });

  it('when an API key creation is replayed, then the secret is not in the replay (it is never stored)', async () => {
    const admin = await t.signIn('admin');
    const key = randomUUID();
    const first = await t
      .http()
      .post('/v1/admin/api-keys')
      .set(admin.headers)
      .set('Idempotency-Key', key)
      .send({ name: 'Once', scopes: ['read'] })
      .expect(201);
    expect(first.body.key).toMatch(/^nk_/);
    const stored = await t.container.db.prisma.idempotencyRecord.findFirst({ where: { key } });
    expect(stored?.responseBody).not.toContain(first.body.key);
    const retry = await t
      .http()
      .post('/v1/admin/api-keys')
      .set(admin.headers)
      .set('Idempotency-Key', key)
      .send({ name: 'Once', scopes: ['read'] })
      .expect(201);
    expect(retry.body).toEqual({ ...first.body, key: undefined });
    expect(retry.body.key).toBeUndefined();
    expect(await t.container.db.prisma.apiKey.count({ where: { name: 'Once' } })).toBe(1);
  });

  it('when eight identical requests with one key arrive at once, then one rubric is created and all eight answers are the same (50 rounds)', async () => {
    for (let round = 0; round < 50; round++) {
      const key = randomUUID();
      const name = `Одновременно ${round}`;
      const answers = await Promise.all(Array.from({ length: 8 }, () => createRubric(key, { name })));
      expect(answers.map((r) => r.status)).toEqual(Array(8).fill(201));
      const ids = new Set(answers.map((r) => r.body.id));
      expect(ids.size).toBe(1);
      for (const answer of answers) expect(answer.body).toEqual(answers[0]!.body);
      expect(answers.filter((r) => r.headers['idempotent-replayed'] === 'true')).toHaveLength(7);
      expect(await rubricsNamed(name)).toBe(1);
    }
  }, 120_000);
});

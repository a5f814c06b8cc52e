import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { describeEachDialect, useTestApp } from '../support/test-app.ts';

describeEachDialect('conditional writes (If-Match)', (dialect) => {
  const { t, admin } = useTestApp(dialect, { roles: ['admin'] });

  // One resource of each kind, created through the API, with the body a PATCH may send.
  const resources = {
    rubric: { path: '/v1/admin/rubrics', create: () => ({ name: `Рубрика ${randomUUID().slice(0, 8)}` }), change: { position: 7 } },
    tag: { path: '/v1/admin/tags', create: () => ({ name: `Тег ${randomUUID().slice(0, 8)}` }), change: { name: 'Другое имя' } },
    'feed item': {
      path: '/v1/admin/feed-items',
      create: () => ({ kind: 'link', headline: 'Ссылка дня', url: 'https://example.org/a' }),
      change: { isPinned: true },
    },
    user: {
      path: '/v1/admin/users',
      create: () => ({
        email: `${randomUUID()}@test.example`,
        password: 'a-long-enough-password-1',
        displayName: 'Пётр Иванов',
        role: 'author',
      }),
      change: { displayName: 'Пётр И.' },
    },
    'API key': { path: '/v1/admin/api-keys', create: () => ({ name: 'Importer', scopes: ['read'] }), change: { name: 'Wire importer' } },
    article: {
      path: '/v1/admin/articles',
      create: () => ({ title: `Заметка ${randomUUID().slice(0, 8)}`, body: [{ type: 'paragraph', text: 'Текст заметки.' }] }),
      change: { title: 'Другой заголовок' },
    },
    media: {
      path: '/v1/admin/media',
      create: () => ({ kind: 'image', url: 'https://media.example/2026/11/stadium.jpg', mimeType: 'image/jpeg', credit: 'Анна Смирнова' }),
      change: { altText: 'Трибуны стадиона' },
    },
  } as const;

  for (const [kind, resource] of Object.entries(resources)) {
    describe(kind, () => {
      const create = async () =>
        (await t.http().post(resource.path).set(admin.headers).send(resource.create()).expect(201)).body as { id: string; version: number };

      it('when read, then the answer carries its version as a strong ETag', async () => {
        const created = await create();
        const res = await t.http().get(`${resource.path}/${created.id}`).set(admin.headers).expect(200);
        expect(res.body.version).toBe(1);
        expect(res.headers.etag).toBe('"1"');
      });

      it('when changed or deleted without If-Match, then 428 as problem+json and nothing changes', async () => {
        const created = await create();
        const patch = await t.http().patch(`${resource.path}/${created.id}`).set(admin.headers).send(resource.change).expect(428);
        expect(patch.type).toBe('application/problem+json');
        expect(patch.body.code).toBe('precondition_required');
        await t.http().delete(`${resource.path}/${created.id}`).set(admin.headers).expect(428);
        expect((await t.http().get(`${resource.path}/${created.id}`).set(admin.headers).expect(200)).body.version).toBe(1);
      });

      it('when If-Match is not an ETag, then 400', async () => {
        const created = await create();
        await t
          .http()
          .patch(`${resource.path}/${created.id}`)
          .set(admin.headers)
          .set('If-Match', 'W/"1"')
          .send(resource.change)
          .expect(400);
      });

      it('when If-Match is stale, then 412 with the current version in the body, and nothing changes', async () => {
        const created = await create();
        const first = await t
          .http()
          .patch(`${resource.path}/${created.id}`)
          .set(admin.headers)
          .set('If-Match', '"1"')
          .send(resource.change)
          .expect(200);
        expect(first.headers.etag).toBe('"2"');
        const stale = await t
          .http()
          .patch(`${resource.path}/${created.id}`)
          .set(admin.headers)
          .set('If-Match', '"1"')
          .send(resource.change)
          .expect(412);
        expect(stale.type).toBe('application/problem+json');
        expect(stale.body.current).toEqual(first.body);
        await t.http().delete(`${resource.path}/${created.id}`).set(admin.headers).set('If-Match', '"1"').expect(412);
        expect((await t.http().get(`${resource.path}/${created.id}`).set(admin.headers).expect(200)).body).toEqual(first.body);
      });

      it('when If-Match is *, then the write goes through whatever the version', async () => {
        const created = await create();
        const res = await t
          .http()
          .patch(`${resource.path}/${created.id}`)
          .set(admin.headers)
          .set('If-Match', '*')
          .send(resource.change)
          .expect(200);
        expect(res.body.version).toBe(2);
      });
    });
  }

  it('when eight editors save the same rubric version at once, then exactly one wins and the rest get 412 (50 rounds)', async () => {
    for (let round = 0; round < 50; round++) {
      const rubric = (
        await t
          .http()
          .post('/v1/admin/rubrics')
          .set(admin.headers)
          .send({ name: `Гонка ${round}` })
          .expect(201)
      ).body;
      const answers = await Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          t
            .http()
            .patch(`/v1/admin/rubrics/${rubric.id}`)
            .set(admin.headers)
            .set('If-Match', '"1"')
            .send({ position: i + 1 }),
        ),
      );
      const statuses = answers.map((r) => r.status).sort();
      expect(statuses).toEqual([200, 412, 412, 412, 412, 412, 412, 412]);
      const winner = answers.find((r) => r.status === 200)!;
      const stored = await t.container.db.prisma.rubric.findUnique({ where: { id: rubric.id } });
      // The winner's change is the one stored: no loser overwrote it silently.
      expect(stored).toMatchObject({ version: 2, position: winner.body.position });
      for (const loser of answers.filter((r) => r.status === 412)) expect(loser.body.current.version).toBe(2);
    }
  }, 120_000);

  it('when a delete and a change of the same version race, then exactly one of them happens (50 rounds)', async () => {
    for (let round = 0; round < 50; round++) {
      const rubric = (
        await t
          .http()
          .post('/v1/admin/rubrics')
          .set(admin.headers)
          .send({ name: `Спор ${round}` })
          .expect(201)
      ).body;
      const [deleted, changed] = await Promise.all([
        t.http().delete(`/v1/admin/rubrics/${rubric.id}`).set(admin.headers).set('If-Match', '"1"'),
        t.http().patch(`/v1/admin/rubrics/${rubric.id}`).set(admin.headers).set('If-Match', '"1"').send({ position: 9 }),
      ]);
      const stored = await t.container.db.prisma.rubric.findUnique({ where: { id: rubric.id } });
      if (deleted.status === 204) {
        expect(changed.status).toBe(404);
        expect(stored).toBeNull();
      } else {
        expect([deleted.status, changed.status]).toEqual([412, 200]);
        expect(stored).toMatchObject({ version: 2, position: 9 });
      }
    }
  }, 120_000);
});

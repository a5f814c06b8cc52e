import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect, useTestApp } from '../support/test-app.ts';

describeEachDialect('public rubrics', (dialect) => {
  const { t } = useTestApp(dialect);
  beforeAll(async () => {
    const rubrics = t.container.services.rubrics;
    const sport = await rubrics.create({ name: 'Спорт', position: 2 });
    await rubrics.create({ name: 'Футбол', parentId: sport.id, position: 3 });
    await rubrics.create({ name: 'Мир', position: 1 });
    await rubrics.create({ name: 'Архив', position: 0, isActive: false });
  });

  it('when listing, then active rubrics come in display order with a transliterated slug', async () => {
    const res = await t.http().get('/v1/rubrics').expect(200);
    expect(res.body.items.map((r: { slug: string }) => r.slug)).toEqual(['mir', 'sport', 'futbol']);
    expect(res.body.nextCursor).toBeNull();
  });

  it('when getting a rubric by slug, then its sub-rubrics come with it', async () => {
    const res = await t.http().get('/v1/rubrics/sport').expect(200);
    expect(res.body.children).toEqual([expect.objectContaining({ name: 'Футбол', slug: 'futbol' })]);
  });

  it('when the rubric is inactive, then 404 as problem+json', async () => {
    const res = await t.http().get('/v1/rubrics/arkhiv').expect(404);
    expect(res.type).toBe('application/problem+json');
    expect(res.body.requestId).toBe(res.headers['x-request-id']);
  });
});

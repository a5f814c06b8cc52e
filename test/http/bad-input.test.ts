import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect, useTestApp, type TestApp } from '../support/test-app.ts';

interface Operation {
  method: 'post' | 'patch';
  path: string;
}

/** Every row of every table, to compare before and after a refused request. */
async function snapshot(t: TestApp): Promise<string> {
  const p = t.container.db.prisma;
  const tables = await Promise.all([
    p.user.findMany({ orderBy: { id: 'asc' } }),
    p.refreshToken.findMany({ orderBy: { id: 'asc' } }),
    p.apiKey.findMany({ orderBy: { id: 'asc' } }),
    p.media.findMany({ orderBy: { id: 'asc' } }),
    p.rubric.findMany({ orderBy: { id: 'asc' } }),
    p.tag.findMany({ orderBy: { id: 'asc' } }),
    p.article.findMany({ orderBy: { id: 'asc' } }),
    p.articleAuthor.findMany({ orderBy: [{ articleId: 'asc' }, { userId: 'asc' }] }),
    p.articleTag.findMany({ orderBy: [{ articleId: 'asc' }, { tagId: 'asc' }] }),
    p.articleBodyMedia.findMany({ orderBy: [{ articleId: 'asc' }, { mediaId: 'asc' }] }),
    p.articleSlugRedirect.findMany({ orderBy: { slug: 'asc' } }),
    p.feedItem.findMany({ orderBy: { id: 'asc' } }),
  ]);
  return JSON.stringify(tables);
}

// Bodies that are wrong in a different way each; none may change anything.
const badBodies: { name: string; contentType: string; body: string }[] = [
  { name: 'malformed JSON', contentType: 'application/json', body: '{"title": "Незакрытая' },
  { name: 'a JSON array', contentType: 'application/json', body: '[1, 2, 3]' },
  { name: 'a JSON string', contentType: 'application/json', body: '"просто строка"' },
  { name: 'an unknown field', contentType: 'application/json', body: JSON.stringify({ unexpectedField: true }) },
  {
    name: 'wrong types everywhere',
    contentType: 'application/json',
    body: JSON.stringify({ title: 42, name: [], email: {}, slug: 7, body: 'текст', kind: 'hologram', scopes: 'all', url: 12 }),
  },
  { name: 'a form body', contentType: 'application/x-www-form-urlencoded', body: 'title=1' },
  { name: 'a text body', contentType: 'text/plain', body: 'title' },
  {
    name: 'an over-long string',
    contentType: 'application/json',
    body: JSON.stringify({ title: 'ж'.repeat(5000), name: 'ж'.repeat(5000), headline: 'ж'.repeat(5000) }),
  },
];

describeEachDialect('bad input to any management write', (dialect) => {
  const { t, admin } = useTestApp(dialect, { roles: ['admin'] });
  let operations: Operation[];
  let existingIds: Record<string, string>;

  beforeAll(async () => {
    const rubric = await t.container.services.rubrics.create({ name: 'Общество' });
    existingIds = { rubrics: rubric.id, users: admin.user.id };
    const doc = t.container.app.openApiDocument() as unknown as { paths: Record<string, Record<string, { requestBody?: unknown }>> };
    operations = Object.entries(doc.paths).flatMap(([path, item]) =>
      (['post', 'patch'] as const).filter((m) => item[m]?.requestBody && path.startsWith('/v1/admin')).map((method) => ({ method, path })),
    );
  });

  it('when any write gets a bad body, then a 4xx problem+json and every table is unchanged', async () => {
    expect(operations.length).toBeGreaterThanOrEqual(4);
    const before = await snapshot(t);
    for (const op of operations) {
      const resource = op.path.split('/')[3] ?? '';
      const path = op.path.replace('{id}', existingIds[resource] ?? '00000000-0000-7000-8000-000000000000');
      for (const bad of badBodies) {
        const res = await t.http()[op.method](path).set(admin.headers).set('content-type', bad.contentType).send(bad.body);
        const where = `${op.method.toUpperCase()} ${op.path} with ${bad.name}`;
        expect([400, 404, 409, 413, 415, 422], `${where} answered ${res.status}`).toContain(res.status);
        expect(res.type, where).toBe('application/problem+json');
        expect(res.body.detail, where).toBeTruthy();
      }
    }
    expect(await snapshot(t)).toBe(before);
  });
});

import { randomUUID } from 'node:crypto';
import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect, useTestApp } from '../support/test-app.ts';

describeEachDialect('public author pages', (dialect) => {
  const { t, published, draftOnly, nothing } = useTestApp(dialect, {
    users: {
      published: { role: 'author', displayName: 'Анна Волкова' },
      draftOnly: { role: 'author', displayName: 'Пётр Соколов' },
      nothing: { role: 'editor', displayName: 'Елена Орлова' },
    },
  });
  beforeAll(async () => {
    await t.container.services.users.update(
      published.user.id,
      { bio: 'Корреспондент отдела науки' },
      { type: 'apiKey', apiKeyId: 'test', scopes: ['admin'] },
    );
    await createArticle(published.user.id, 'published');
    await createArticle(draftOnly.user.id, 'draft');
  });

  async function createArticle(userId: string, status: 'draft' | 'published') {
    await t.container.db.prisma.article.create({
      data: {
        title: 'Заметка',
        slug: `zametka-${randomUUID()}`,
        body: [],
        keyPoints: [],
        searchText: '',
        status,
        ...(status === 'published' ? { publishedAt: t.clock.now() } : {}),
        authors: { create: { userId, position: 0 } },
      },
    });
  }

  it('when the author has a published article, then 200 with the public byline and no e-mail', async () => {
    const res = await t.http().get(`/v1/authors/${published.user.slug}`).expect(200);
    expect(res.body).toEqual({
      id: published.user.id,
      displayName: 'Анна Волкова',
      slug: published.user.slug,
      bio: 'Корреспондент отдела науки',
      avatar: null,
    });
    expect(res.text).not.toContain(published.user.email);
    expect(res.text).not.toMatch(/email|role|isActive|password/i);
  });

  it('when the author has only drafts, then 404', async () => {
    await t.http().get(`/v1/authors/${draftOnly.user.slug}`).expect(404);
  });

  it('when the user has no article at all, then 404', async () => {
    await t.http().get(`/v1/authors/${nothing.user.slug}`).expect(404);
  });

  it('when no user has the slug, then 404', async () => {
    await t.http().get('/v1/authors/no-such-person').expect(404);
  });

  it('when the author is disabled, then their page is gone', async () => {
    const gone = await t.signIn('author', { displayName: 'Ушедший Автор' });
    await createArticle(gone.user.id, 'published');
    await t.http().get(`/v1/authors/${gone.user.slug}`).expect(200);
    await t.container.services.users.update(gone.user.id, { isActive: false }, { type: 'apiKey', apiKeyId: 'test', scopes: ['admin'] });
    await t.http().get(`/v1/authors/${gone.user.slug}`).expect(404);
  });
});

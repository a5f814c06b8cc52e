import { beforeAll, expect, it } from 'vitest';
import type { ArticleResponse } from '../../src/modules/articles/articles.schemas.ts';
import { adminActor, createDraft, createPublished } from '../articles/article-fixtures.ts';
import { describeEachDialect, useTestApp } from '../support/test-app.ts';
import { uploadPhoto } from './syndication-helpers.ts';

const base = 'https://news.example';

describeEachDialect('schema.org JSON-LD of an article', (dialect) => {
  const { t, editor, anna, boris } = useTestApp(dialect, {
    mediaDir: true,
    env: {
      PUBLIC_BASE_URL: base,
      SITE_NAME: 'Городские вести',
      // Up to 400: no rendition is wider than the largest configured width, and the largest of each crop is checked below.
      MEDIA_RENDITION_WIDTHS: '200,400',
      MEDIA_ASPECT_RATIOS: '16:9,1:1',
    },
    roles: ['editor'],
    users: { anna: { role: 'author', displayName: 'Анна Смирнова' }, boris: { role: 'author', displayName: 'Борис Волков' } },
  });
  let rubric: { id: string; slug: string };
  let photo: { id: string; url: string };
  let article: ArticleResponse;

  beforeAll(async () => {
    rubric = await t.container.services.rubrics.create({ name: 'Экономика' });
    const tag = await t.container.services.tags.create({ name: 'Бюджет' });
    photo = await uploadPhoto(t, editor, {
      credit: 'Городские вести/Иван Петров',
      source: 'Агентство городских новостей',
      caption: 'Здание городской думы',
    });
    t.clock.set('2026-11-20T09:00:00.000Z');
    article = await createPublished(t, {
      title: 'Бюджет города вырос на 7%',
      lead: 'Больше всего денег получат дороги и школы.',
      rubricId: rubric.id,
      tagIds: [tag.id],
      authorIds: [boris.user.id, anna.user.id],
      coverMediaId: photo.id,
    });
    t.clock.set('2026-11-20T10:00:00.000Z');
  });

  it('when a public article is read, then its jsonLd is a NewsArticle with headline, credited images, dates, authors, section, description, page and publisher', async () => {
    const res = await t.http().get(`/v1/articles/${article.slug}`).expect(200);
    const url = `${base}/articles/${article.slug}`;
    const credits = {
      caption: 'Здание городской думы',
      creditText: 'Городские вести/Иван Петров',
      copyrightHolder: { '@type': 'Organization', name: 'Агентство городских новостей' },
    };
    const image = {
      '@type': 'ImageObject',
      url: expect.stringMatching(new RegExp(`^${base}/v1/media/files/renditions/[0-9a-f]{64}\\.jpg$`)),
      contentUrl: expect.any(String),
      width: expect.any(Number),
      height: expect.any(Number),
      ...credits,
    };
    expect(res.body.jsonLd).toEqual({
      '@context': 'https://schema.org',
      '@type': 'NewsArticle',
      headline: 'Бюджет города вырос на 7%',
      description: 'Больше всего денег получат дороги и школы.',
      image: [image, image, image],
      datePublished: '2026-11-20T09:00:00.000Z',
      dateModified: '2026-11-20T09:00:00.000Z',
      author: [
        { '@type': 'Person', name: 'Борис Волков' },
        { '@type': 'Person', name: 'Анна Смирнова' },
      ],
      articleSection: 'Экономика',
      keywords: ['Бюджет'],
      speakable: { '@type': 'SpeakableSpecification', cssSelector: ['[data-speakable="headline"]', '[data-speakable="lead"]'] },
      inLanguage: 'ru',
      url,
      mainEntityOfPage: { '@type': 'WebPage', '@id': url },
      publisher: { '@type': 'NewsMediaOrganization', name: 'Городские вести', url: `${base}/` },
      commentCount: 0,
    });
    for (const picture of res.body.jsonLd.image) expect(picture.contentUrl).toBe(picture.url);
    // The whole 400×300 picture, then its 16:9 and 1:1 crops: the largest JPEG of each.
    expect(res.body.jsonLd.image.map((i: { width: number; height: number }) => [i.width, i.height])).toEqual([
      [400, 300],
      [400, 225],
      [300, 300],
    ]);
  });

  it('when include embeds less, then the jsonLd still describes the whole article; fields leaves it out or keeps it alone', async () => {
    const narrow = await t.http().get(`/v1/articles/${article.slug}`).query({ include: '' }).expect(200);
    expect(narrow.body.authors).toBeUndefined();
    expect(narrow.body.jsonLd).toMatchObject({
      author: [{ name: 'Борис Волков' }, { name: 'Анна Смирнова' }],
      articleSection: 'Экономика',
      image: expect.any(Array),
    });
    const without = await t.http().get(`/v1/articles/${article.slug}`).query({ fields: 'title' }).expect(200);
    expect(without.body).toEqual({ id: article.id, title: article.title });
    const only = await t.http().get(`/v1/articles/${article.slug}`).query({ fields: 'jsonLd' }).expect(200);
    expect(Object.keys(only.body).sort()).toEqual(['id', 'jsonLd']);
    expect(only.body.jsonLd.headline).toBe(article.title);
  });

  it('when an article is edited after publishing, then dateModified moves only for a substantive update, and datePublished stays', async () => {
    t.clock.set('2026-11-20T11:00:00.000Z');
    await t.container.services.articles.update(article.id, { lead: 'Дороги и школы получат больше всего денег.' }, adminActor);
    const typoFix = await t.http().get(`/v1/articles/${article.slug}`).expect(200);
    expect(typoFix.body.jsonLd).toMatchObject({ datePublished: '2026-11-20T09:00:00.000Z', dateModified: '2026-11-20T09:00:00.000Z' });
    t.clock.set('2026-11-20T11:30:00.000Z');
    await t.container.services.articles.update(
      article.id,
      { lead: 'Дороги и школы получат больше всего.', substantiveUpdate: true },
      adminActor,
    );
    const res = await t.http().get(`/v1/articles/${article.slug}`).expect(200);
    expect(res.body.jsonLd).toMatchObject({
      datePublished: '2026-11-20T09:00:00.000Z',
      dateModified: '2026-11-20T11:30:00.000Z',
      description: 'Дороги и школы получат больше всего.',
    });
  });

  it('when a scheduled article was saved before its time, then dateModified is not before datePublished', async () => {
    const draft = await createDraft(t, { title: 'Новость к утру' });
    await t.container.services.articles.publish(draft.id, adminActor, { publishAt: '2026-11-21T06:00:00.000Z' });
    t.clock.set('2026-11-21T07:00:00.000Z');
    const res = await t.http().get(`/v1/articles/${draft.slug}`).expect(200);
    expect(res.body.jsonLd).toMatchObject({ datePublished: '2026-11-21T06:00:00.000Z', dateModified: '2026-11-21T06:00:00.000Z' });
    // No byline and no cover: the newsroom signs it, and there is no image to describe.
    expect(res.body.jsonLd.author).toEqual([{ '@type': 'Organization', name: 'Городские вести' }]);
    expect(res.body.jsonLd.image).toBeUndefined();
    expect(res.body.jsonLd.articleSection).toBeUndefined();
  });

  it('when a draft is previewed, then the preview carries its JSON-LD too', async () => {
    const draft = await createDraft(t, { title: 'Черновик с превью', rubricId: rubric.id });
    const link = await t.container.services.articles.createPreview(draft.id, adminActor);
    const res = await t.http().get(link.url).expect(200);
    expect(res.body.jsonLd).toMatchObject({
      '@type': 'NewsArticle',
      headline: 'Черновик с превью',
      articleSection: 'Экономика',
      url: `${base}/articles/${draft.slug}`,
    });
  });
});

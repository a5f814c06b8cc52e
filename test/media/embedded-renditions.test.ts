import sharp from 'sharp';
import { expect, it } from 'vitest';
import { describeEachDialect, useTestApp } from '../support/test-app.ts';

describeEachDialect('renditions of embedded media', (dialect) => {
  const { t } = useTestApp(dialect, { mediaDir: true, env: { MEDIA_RENDITION_WIDTHS: '100', MEDIA_ASPECT_RATIOS: '1:1' } });

  it('when a page shows an article, then its cover and body photos come with their renditions for srcset, in the article and in the feed', async () => {
    const editor = await t.signIn('editor');
    const photo = await sharp({ create: { width: 300, height: 200, channels: 3, background: { r: 40, g: 80, b: 120 } } })
      .jpeg()
      .toBuffer();
    const media = await t
      .http()
      .post('/v1/admin/media/upload')
      .set(editor.headers)
      .field('credit', 'Городские новости/Анна Смирнова')
      .attach('file', photo, { filename: 'photo.jpg', contentType: 'image/jpeg' })
      .expect(201);
    const actor = { type: 'user' as const, userId: editor.user.id, role: 'editor' as const };
    const article = await t.container.services.articles.create(
      {
        title: 'Фотографии с открытия набережной',
        body: [
          { type: 'paragraph', text: 'Набережную открыли после ремонта.' },
          { type: 'image', mediaId: media.body.id },
        ],
        coverMediaId: media.body.id,
      },
      actor,
    );
    await t.container.services.articles.publish(article.id, actor);

    const page = await t.http().get(`/v1/articles/${article.slug}`).expect(200);
    expect(page.body.cover.renditions.length).toBeGreaterThan(0);
    expect(page.body.cover.renditions.map((r: { aspectRatio: string }) => r.aspectRatio)).toEqual(
      expect.arrayContaining(['original', '1:1']),
    );
    const bodyImage = page.body.body.find((b: { type: string }) => b.type === 'image');
    expect(bodyImage.media.renditions.length).toBeGreaterThan(0);

    const list = await t.http().get('/v1/articles').expect(200);
    expect(list.body.items[0].cover.renditions.length).toBeGreaterThan(0);
    const feed = await t.http().get('/v1/feed').expect(200);
    expect(feed.body.items[0].article.cover.renditions.length).toBeGreaterThan(0);
  });
});

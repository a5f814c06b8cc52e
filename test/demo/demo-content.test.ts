import { beforeAll, expect, it, vi } from 'vitest';
import { demoAdminEmail, demoPassword } from '../../src/demo/load-demo.ts';
import { demoArticles, demoMedia } from '../../src/demo/demo-content.ts';
import type { MediaResponse } from '../../src/modules/media/media.schemas.ts';
import { mp3DurationSeconds } from '../../src/modules/narration/narration.audio.ts';
import { startUp } from '../../src/start-up.ts';
import { describeEachDialect, useTestApp } from '../support/test-app.ts';

describeEachDialect('demo content at start-up', (dialect) => {
  // Fewer renditions than by default (some 30 s of encoding for the twelve photos): what is checked here is that they are made.
  const { t } = useTestApp(dialect, {
    mediaDir: true,
    env: {
      CMS_DEMO: 'true',
      // The demo's two narrations are made by the builtin voice after start-up: the proof that it works on a fresh install.
      NARRATION_WORKER: 'on',
      NARRATION_POLL_INTERVAL_MS: '50',
      MEDIA_RENDITION_WIDTHS: '320,640',
      MEDIA_ASPECT_RATIOS: 'none',
    },
  });
  beforeAll(async () => {
    await startUp(t.container);
  });
  const adminHeaders = async () => {
    const login = await t.http().post('/v1/auth/login').send({ email: demoAdminEmail, password: demoPassword }).expect(200);
    return { authorization: `Bearer ${login.body.accessToken}` };
  };

  it('when the database is empty, then a newcomer can browse the feed, rubrics and published articles', async () => {
    const feed = await t.http().get('/v1/feed?limit=100').expect(200);
    expect(feed.body.items.length).toBeGreaterThan(10);
    expect(feed.body.items[0].isPinned).toBe(true);
    expect(feed.body.items.map((i: { kind: string }) => i.kind)).toEqual(expect.arrayContaining(['article', 'live', 'link', 'promo']));

    const articles = await t.http().get('/v1/articles?limit=100').expect(200);
    expect(articles.body.items).toHaveLength(demoArticles.filter((a) => a.publishedHoursAgo !== null).length);
    const withCover = articles.body.items.find((a: { cover: unknown }) => a.cover);
    const page = await t.http().get(`/v1/articles/${withCover.slug}`).expect(200);
    expect(page.body.cover.credit).toBeTruthy();
    expect(page.body.keyPoints.length).toBeGreaterThan(0);
    expect(page.body.rubric.name).toBeTruthy();

    await t.http().get('/v1/rubrics/sport').expect(200);
  });

  it('when the demo is loaded, then every photo is an uploaded picture with renditions at several widths, a colour and a credit', async () => {
    const media = await t
      .http()
      .get('/v1/admin/media?kind=image&limit=100')
      .set(await adminHeaders())
      .expect(200);
    const photos = demoMedia.filter((m) => m.kind === 'image');
    expect(media.body.items).toHaveLength(photos.length);
    for (const photo of photos) {
      const stored = (media.body.items as MediaResponse[]).find((m) => m.caption === photo.caption);
      expect(stored, photo.key).toMatchObject({
        credit: photo.credit,
        altText: photo.altText,
        source: photo.source,
        width: 1600,
        height: 900,
        dominantColor: expect.stringMatching(/^#[0-9a-f]{6}$/),
      });
      const renditions = stored!.renditions;
      const widths = new Set(renditions.filter((r) => r.aspectRatio === 'original').map((r) => r.width));
      // Not the photo's own 1600: no rendition is wider than the largest configured width.
      expect(
        [...widths].sort((a, b) => a - b),
        photo.key,
      ).toEqual([320, 640]);
      expect(new Set(renditions.map((r) => r.format)), photo.key).toEqual(new Set(['avif', 'webp', 'jpeg']));
    }
    // What a page's srcset points at is served.
    const [first] = media.body.items as MediaResponse[];
    for (const rendition of first!.renditions.filter((r) => r.aspectRatio === 'original')) {
      const file = await t.http().get(rendition.url).buffer(true).expect(200);
      expect(file.headers['content-type']).toBe(rendition.mimeType);
      expect(file.body.length).toBe(rendition.sizeBytes);
    }
  });

  it('when the demo is loaded, then its narrated articles are read aloud by the builtin voice into audio of plausible length', async () => {
    const narrated = demoArticles.filter((a) => a.isNarrated && a.publishedHoursAgo !== null);
    expect(narrated.length).toBe(2);
    for (const article of narrated) {
      let narration: MediaResponse | null = null;
      await vi.waitFor(
        async () => {
          narration = (await t.http().get(`/v1/articles/${article.slug}`).expect(200)).body.narration;
          expect(narration, article.slug).not.toBeNull();
        },
        { timeout: 240_000, interval: 250 },
      );
      const audio = narration! as MediaResponse;
      expect(audio).toMatchObject({ kind: 'audio', mimeType: 'audio/mpeg', source: 'tts', credit: 'Синтезированная речь' });
      const file = await t.http().get(audio.url).buffer(true).expect(200);
      expect(file.body.length).toBe(audio.sizeBytes);
      const seconds = mp3DurationSeconds(file.body);
      // Some 150 words at 165 a minute.
      const words = [article.title, article.lead, ...article.body.flatMap((b) => ('text' in b ? [b.text] : 'items' in b ? b.items : []))]
        .join(' ')
        .split(/\s+/).length;
      expect(seconds, article.slug).toBeGreaterThan((words / 165) * 60 * 0.5);
      expect(seconds, article.slug).toBeLessThan((words / 165) * 60 * 2.5);
      expect(audio.durationSeconds, article.slug).toBeCloseTo(seconds!, 0);
    }
  }, 300_000);

  it('when a demo account signs in, then it can manage content', async () => {
    const drafts = await t
      .http()
      .get('/v1/admin/articles?status=draft')
      .set(await adminHeaders())
      .expect(200);
    expect(drafts.body.items).toHaveLength(demoArticles.filter((a) => a.publishedHoursAgo === null).length);
  });

  it('when start-up runs again on a database with content, then nothing is added twice', async () => {
    const { prisma } = t.container.db;
    const before = [await prisma.article.count(), await prisma.media.count()];
    await startUp(t.container);
    expect([await prisma.article.count(), await prisma.media.count()]).toEqual(before);
  });
});

import sharp from 'sharp';
import { describe, it, expect } from 'vitest';
import { drawDemoPicture } from '../../src/demo/demo-pictures.ts';
import { isValidSlug, slugify } from '../../src/shared/slug.ts';
import {
  demoArticles,
  demoAuthors,
  demoFeedExtras,
  demoMedia,
  demoRubrics,
  demoTags,
  type DemoArticle,
} from '../../src/demo/demo-content.ts';

function paragraphs(article: DemoArticle): string[] {
  return article.body.flatMap((block) => (block.type === 'paragraph' ? [block.text] : []));
}

function expectUnique(values: string[]): void {
  expect(new Set(values).size).toBe(values.length);
}

const mediaByKey = new Map(demoMedia.map((m) => [m.key, m]));
const rubricSlugs = new Set(demoRubrics.map((r) => r.slug));
const tagSlugs = new Set(demoTags.map((t) => t.slug));
const authorSlugs = new Set(demoAuthors.map((a) => a.slug));

describe('demo content', () => {
  it('has unique keys and slugs', () => {
    expectUnique(demoRubrics.map((r) => r.slug));
    expectUnique(demoTags.map((t) => t.slug));
    expectUnique(demoAuthors.map((a) => a.slug));
    expectUnique(demoAuthors.map((a) => a.email));
    expectUnique(demoMedia.map((m) => m.key));
    expectUnique(demoArticles.map((a) => a.slug));
  });

  it('uses slugs made by slugify (or valid shortened ones)', () => {
    for (const article of demoArticles) {
      const made = slugify(article.title);
      if (article.slug !== made) {
        expect(isValidSlug(article.slug), article.title).toBe(true);
        expect(made.startsWith(article.slug), article.title).toBe(true);
      }
      expect(isValidSlug(article.slug), article.slug).toBe(true);
    }
    for (const item of [...demoRubrics, ...demoTags]) expect(item.slug).toBe(slugify(item.name));
    for (const author of demoAuthors) expect(author.slug).toBe(slugify(author.displayName));
  });

  it('has the expected shape', () => {
    expect(demoRubrics.filter((r) => r.parentSlug !== undefined).length).toBeGreaterThanOrEqual(1);
    for (const r of demoRubrics) if (r.parentSlug !== undefined) expect(rubricSlugs.has(r.parentSlug)).toBe(true);
    expect(demoAuthors.filter((a) => a.role === 'editor')).toHaveLength(1);
    expect(demoAuthors.filter((a) => a.role === 'author')).toHaveLength(2);
    for (const a of demoAuthors) expect(a.email).toMatch(/^[a-z.]+@demo\.newsroom\.example$/);
    expect(demoTags).toHaveLength(10);
    expect(demoArticles).toHaveLength(14);
    const published = demoArticles.filter((a) => a.publishedHoursAgo !== null);
    expect(published).toHaveLength(12);
    for (const a of published) {
      expect(a.publishedHoursAgo).toBeGreaterThanOrEqual(1);
      expect(a.publishedHoursAgo).toBeLessThanOrEqual(96);
    }
    expect(published.filter((a) => a.isNarrated)).toHaveLength(2);
    expect(demoArticles.filter((a) => a.isNarrated)).toHaveLength(2);
    expect(published.filter((a) => a.showInFeed === false)).toHaveLength(1);
    expect(demoArticles.filter((a) => a.body.some((b) => b.type === 'quote' && b.attribution)).length).toBeGreaterThanOrEqual(7);
    expect(demoArticles.some((a) => a.body.some((b) => b.type === 'embed'))).toBe(true);
  });

  it('keeps bodies and key points within bounds, key points verbatim from paragraphs', () => {
    for (const article of demoArticles) {
      expect(article.body.length, article.slug).toBeGreaterThanOrEqual(4);
      expect(article.body.length, article.slug).toBeLessThanOrEqual(8);
      expect(article.keyPoints.length, article.slug).toBeGreaterThanOrEqual(1);
      expect(article.keyPoints.length, article.slug).toBeLessThanOrEqual(3);
      const texts = paragraphs(article);
      for (const point of article.keyPoints) {
        expect(
          texts.some((t) => t.includes(point)),
          `${article.slug}: ${point}`,
        ).toBe(true);
      }
    }
  });

  it('references only declared rubrics, tags, authors and media of the right kind', () => {
    for (const article of demoArticles) {
      expect(rubricSlugs.has(article.rubricSlug), article.slug).toBe(true);
      for (const t of article.tagSlugs) expect(tagSlugs.has(t), `${article.slug}: ${t}`).toBe(true);
      expect(article.authorSlugs.length).toBeGreaterThanOrEqual(1);
      for (const a of article.authorSlugs) expect(authorSlugs.has(a), `${article.slug}: ${a}`).toBe(true);
      if (article.coverMediaKey !== undefined) expect(mediaByKey.get(article.coverMediaKey)?.kind).toBe('image');
      for (const block of article.body) {
        if (block.type === 'image') expect(mediaByKey.get(block.mediaKey)?.kind, `${article.slug}: ${block.mediaKey}`).toBe('image');
      }
    }
    for (const extra of demoFeedExtras) {
      if (extra.rubricSlug !== undefined) expect(rubricSlugs.has(extra.rubricSlug)).toBe(true);
    }
  });

  it('describes media consistently: a drawn picture for every photo (narrations are generated, not shipped)', async () => {
    for (const m of demoMedia) {
      expect(m.credit, m.key).toBeTruthy();
      expect(m.altText, m.key).toBeTruthy();
      const picture = await sharp(await drawDemoPicture(m.key)).metadata();
      expect([picture.format, picture.width, picture.height], m.key).toEqual(['jpeg', 1600, 900]);
    }
  });

  it('has one pinned live broadcast, one link and one promo', () => {
    const live = demoFeedExtras.filter((e) => e.kind === 'live');
    expect(live).toHaveLength(1);
    expect(live[0]?.isPinned).toBe(true);
    expect(live[0]?.headline.startsWith('Прямой эфир: ')).toBe(true);
    expect(live[0]?.url).toMatch(/^https:\/\/live\.example\/stream\/.+\.m3u8$/);
    expect(demoFeedExtras.filter((e) => e.kind === 'link')).toHaveLength(1);
    const promo = demoFeedExtras.filter((e) => e.kind === 'promo');
    expect(promo).toHaveLength(1);
    expect(promo[0]?.headline.startsWith('Реклама: ')).toBe(true);
  });
});

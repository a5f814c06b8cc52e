import { describe, expect, it } from 'vitest';
import { keysOfArticleChange, keysPurgedBy, type ArticlePlacement } from '../../src/shared/cache-keys.ts';

const placed = (fields: Partial<ArticlePlacement> = {}): ArticlePlacement => ({
  isPublicBound: true,
  rubricSlugs: ['hokkey', 'sport'],
  tagSlugs: ['match'],
  authorSlugs: ['anna'],
  isInFeed: true,
  ...fields,
});

describe('what a write purges', () => {
  it('when an article is neither public nor scheduled before or after, then nothing', () => {
    expect(keysOfArticleChange('a1', null, placed({ isPublicBound: false }))).toEqual([]);
    expect(keysOfArticleChange('a1', placed({ isPublicBound: false }), placed({ isPublicBound: false }))).toEqual([]);
  });

  it('when a public article moves rubric and tag and leaves the feed, then the lists it left and joined, and the feed', () => {
    const keys = keysOfArticleChange('a1', placed(), placed({ rubricSlugs: ['gorod'], tagSlugs: ['byudzhet'], isInFeed: false }));
    expect(keys.sort()).toEqual(
      [
        'article:a1',
        'articles',
        'articles:rubric:hokkey',
        'articles:rubric:sport',
        'articles:rubric:gorod',
        'articles:tag:match',
        'articles:tag:byudzhet',
        'articles:author:anna',
        'feed',
        'all',
      ].sort(),
    );
  });

  it('when an article out of the feed is saved, then the feed is not purged', () => {
    expect(keysOfArticleChange('a1', placed({ isInFeed: false }), placed({ isInFeed: false }))).not.toContain('feed');
  });

  it('when a write of a type whose service names its keys names none, then everything is purged; when it names [], nothing', () => {
    for (const targetType of ['article', 'rubric', 'tag', 'user']) {
      expect(keysPurgedBy({ targetType, targetId: 'x' })).toBe('everything');
      expect(keysPurgedBy({ targetType, targetId: 'x', noted: [] })).toEqual([]);
      expect(keysPurgedBy({ targetType, targetId: 'x', noted: ['article:x'] })).toEqual(['article:x', 'all']);
    }
    expect(keysPurgedBy({ targetType: 'media', targetId: 'm1' })).toEqual(['media:m1', 'media', 'all']);
    expect(keysPurgedBy({ targetType: 'webhook', targetId: 'w1' })).toEqual([]);
    expect(keysPurgedBy({ targetType: 'thing', targetId: 't1' })).toBe('everything');
  });
});

import { api, dataOf, type FeedItem } from '../api/client.ts';
import { adMarkingLine, articlePath, commentCountText, h, rubricPath, time } from '../dom.ts';
import { siteName } from '../head.ts';
import type { View } from '../view.ts';
import { picture } from '../picture.ts';
import { moreButton } from './more.ts';

const kindLabels: Partial<Record<FeedItem['kind'], string>> = { live: 'Прямой эфир', promo: 'Реклама' };

/** One headline of the feed: time, rubric label, the headline linking where the item leads. */
function feedItem(item: FeedItem): HTMLElement {
  // An article item, or a live item of a live blog, leads to the article page; other items lead away.
  const href = item.article ? articlePath(item.article.slug) : item.url;
  const external = !item.article;
  // A paid link (a promo, a sponsored article) says so to search engines too.
  const rel = item.adMarking || item.kind === 'promo' ? 'sponsored noopener' : 'noopener';
  // A live item is labelled only while it is on air (a live blog whose coverage ended is not).
  const label = item.kind === 'live' && !item.isLive ? undefined : (kindLabels[item.kind] ?? (item.adMarking ? 'Реклама' : undefined));
  const comments = item.article?.commentCount;
  return h(
    'li',
    { class: `feed-item kind-${item.kind}${item.isPinned ? ' pinned' : ''}`, 'data-kind': item.kind, 'data-pinned': String(item.isPinned) },
    h(
      'div',
      { class: 'feed-meta' },
      time(item.publishedAt, { short: true }),
      item.rubric ? h('a', { class: 'rubric-label', href: rubricPath(item.rubric.slug) }, item.rubric.name) : null,
      item.isPinned ? h('span', { class: 'badge badge-pinned', title: 'Закреплено редакцией' }, 'Главное') : null,
      label ? h('span', { class: `badge badge-${item.adMarking ? 'promo' : item.kind}` }, label) : null,
    ),
    adMarkingLine(item.adMarking),
    href
      ? h(
          'a',
          { class: 'headline', href, ...(external ? { rel, target: '_blank' } : item.adMarking ? { rel: 'sponsored' } : {}) },
          item.headline,
        )
      : h('span', { class: 'headline' }, item.headline),
    comments ? h('span', { class: 'comment-count', 'data-testid': 'comment-count' }, commentCountText(comments)) : null,
  );
}

/** The lead story: the first article of the feed with a photo, shown large above the headlines. */
function leadStory(item: FeedItem): HTMLElement | null {
  const article = item.article;
  if (!article?.cover) return null;
  return h(
    'a',
    { class: 'lead-story', href: articlePath(article.slug) },
    picture(article.cover, { sizes: '(min-width: 1000px) 640px, 100vw', aspectRatio: '16:9', eager: true }),
    h(
      'div',
      { class: 'lead-story-text' },
      item.rubric ? h('span', { class: 'rubric-label' }, item.rubric.name) : null,
      h('h2', {}, article.title),
      article.lead ? h('p', {}, article.lead) : null,
    ),
  );
}

export async function feedPage(view: View): Promise<void> {
  const page = dataOf(await api.GET('/v1/feed', { params: { query: { limit: 30, include: 'commentCount' } } }));
  const lead = page.items.find((item) => item.kind === 'article' && item.article?.cover);
  const list = h('ol', { class: 'feed', 'data-testid': 'feed' }, page.items.map(feedItem));
  view.show(
    { title: siteName(), description: 'Новости города: лента, фотографии, прямые эфиры.' },
    h(
      'div',
      { class: 'front' },
      lead ? leadStory(lead) : null,
      h(
        'section',
        { class: 'feed-column', 'aria-labelledby': 'feed-title' },
        h('h1', { id: 'feed-title', class: 'section-title' }, 'Лента новостей'),
        list,
        moreButton(list, page.nextCursor, async (cursor) => {
          const next = dataOf(await api.GET('/v1/feed', { params: { query: { limit: 30, cursor, include: 'commentCount' } } }));
          return { items: next.items.map(feedItem), nextCursor: next.nextCursor };
        }),
      ),
    ),
  );
}

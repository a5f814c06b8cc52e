import type { ArticleSummary, SearchHit } from '../api/client.ts';
import { adMarkingLine, articlePath, h, rubricPath, time } from '../dom.ts';
import { picture } from '../picture.ts';

/** An article in a list (rubric, tag, search, related): photo, rubric, title, lead or snippet, date. */
export function articleCard(article: ArticleSummary | SearchHit, { snippetHtml }: { snippetHtml?: string } = {}): HTMLElement {
  // A sponsored article is an ad: marked above its headline, its link `rel="sponsored"`.
  const marking = 'adMarking' in article ? article.adMarking : null;
  const text = h(
    'div',
    { class: 'card-text' },
    article.rubric ? h('a', { class: 'rubric-label', href: rubricPath(article.rubric.slug) }, article.rubric.name) : null,
    adMarkingLine(marking),
    h('h3', {}, h('a', { href: articlePath(article.slug ?? ''), ...(marking ? { rel: 'sponsored' } : {}) }, article.title ?? '')),
    snippetHtml !== undefined ? snippet(snippetHtml) : article.lead ? h('p', { class: 'lead' }, article.lead) : null,
    article.publishedAt ? time(article.publishedAt) : null,
  );
  return h(
    'li',
    { class: 'card' },
    article.cover
      ? h(
          'a',
          { class: 'card-photo', href: articlePath(article.slug ?? ''), tabindex: -1, 'aria-hidden': 'true' },
          picture(article.cover, { sizes: '160px', aspectRatio: '16:9' }),
        )
      : null,
    text,
  );
}

/** The search snippet: the API documents it as HTML-escaped text with only `<mark>` added. */
function snippet(html: string): HTMLElement {
  const p = h('p', { class: 'snippet' });
  p.innerHTML = html;
  return p;
}

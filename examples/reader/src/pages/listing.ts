import { api, dataOf } from '../api/client.ts';
import { h, rubricPath } from '../dom.ts';
import type { View } from '../view.ts';
import { articleCard } from './article-list.ts';
import { moreButton } from './more.ts';

const pageSize = 12;
const include = 'rubric,cover,tags';

/** The published articles of a filter, newest first, a page at a time. */
async function articleList(
  filter: { rubric: string } | { tag: string },
): Promise<{ list: HTMLElement; more: HTMLElement | null; count: number }> {
  const load = async (cursor?: string) =>
    dataOf(await api.GET('/v1/articles', { params: { query: { ...filter, include, limit: pageSize, ...(cursor ? { cursor } : {}) } } }));
  const first = await load();
  const list = h(
    'ul',
    { class: 'cards' },
    first.items.map((a) => articleCard(a)),
  );
  const more = moreButton(list, first.nextCursor, async (cursor) => {
    const next = await load(cursor);
    return { items: next.items.map((a) => articleCard(a)), nextCursor: next.nextCursor };
  });
  return { list, more, count: first.items.length };
}

export async function rubricPage(view: View, slug: string): Promise<void> {
  const [rubric, articles] = await Promise.all([
    api.GET('/v1/rubrics/{slug}', { params: { path: { slug } } }).then(dataOf),
    articleList({ rubric: slug }),
  ]);
  view.show(
    { title: rubric.name, description: rubric.description ?? `${rubric.name}: новости рубрики` },
    h(
      'section',
      { class: 'listing', 'data-testid': 'rubric' },
      h(
        'header',
        {},
        rubric.parent ? h('a', { class: 'rubric-label', href: rubricPath(rubric.parent.slug) }, rubric.parent.name) : null,
        h('h1', {}, rubric.name),
        rubric.description ? h('p', { class: 'lead' }, rubric.description) : null,
        rubric.children.length
          ? h(
              'nav',
              { class: 'subrubrics', 'aria-label': 'Подрубрики' },
              rubric.children.flatMap((c) => (c ? [h('a', { href: rubricPath(c.slug) }, c.name)] : [])),
            )
          : null,
      ),
      articles.count ? articles.list : h('p', { class: 'empty' }, 'В рубрике пока нет материалов.'),
      articles.more,
    ),
  );
}

export async function tagPage(view: View, slug: string): Promise<void> {
  const [tag, articles] = await Promise.all([
    api.GET('/v1/tags/{slug}', { params: { path: { slug } } }).then(dataOf),
    articleList({ tag: slug }),
  ]);
  view.show(
    { title: tag.name, description: `Материалы с тегом «${tag.name}»` },
    h(
      'section',
      { class: 'listing', 'data-testid': 'tag' },
      h('header', {}, h('span', { class: 'rubric-label' }, 'Тег'), h('h1', {}, tag.name)),
      articles.count ? articles.list : h('p', { class: 'empty' }, 'С этим тегом пока нет материалов.'),
      articles.more,
    ),
  );
}

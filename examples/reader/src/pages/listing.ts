import { api, dataOf } from '../api/client.ts';
import { h, rubricPath } from '../dom.ts';
import { NotFound, type View } from '../view.ts';
import { articleCard } from './article-list.ts';
import { moreButton } from './more.ts';

const pageSize = 12;
// Tags too: the tag page takes the tag's name from its articles.
const include = 'rubric,cover,tags';

/** The published articles of a filter, newest first, a page at a time. */
async function articleList(filter: { rubric: string } | { tag: string }): Promise<{ list: HTMLElement; more: HTMLElement | null; count: number; tagName?: string }> {
  const load = async (cursor?: string) => dataOf(await api.GET('/v1/articles', { params: { query: { ...filter, include, limit: pageSize, ...(cursor ? { cursor } : {}) } } }));
  const first = await load();
  const list = h('ul', { class: 'cards' }, first.items.map((a) => articleCard(a)));
  const more = moreButton(list, first.nextCursor, async (cursor) => {
    const next = await load(cursor);
    return { items: next.items.map((a) => articleCard(a)), nextCursor: next.nextCursor };
  });
  const tagName = 'tag' in filter ? first.items[0]?.tags?.find((t) => t.slug === filter.tag)?.name : undefined;
  return { list, more, count: first.items.length, ...(tagName ? { tagName } : {}) };
}

export async function rubricPage(view: View, slug: string): Promise<void> {
  const [rubric, articles] = await Promise.all([
    api.GET('/v1/rubrics/{slug}', { params: { path: { slug } } }).then(dataOf),
    articleList({ rubric: slug }),
  ]);
  view.show({ title: rubric.name, description: rubric.description ?? `${rubric.name}: новости рубрики` }, h('section', { class: 'listing', 'data-testid': 'rubric' },
    h('header', {},
      rubric.parent ? h('a', { class: 'rubric-label', href: rubricPath(rubric.parent.slug) }, rubric.parent.name) : null,
      h('h1', {}, rubric.name),
      rubric.description ? h('p', { class: 'lead' }, rubric.description) : null,
      rubric.children.length ? h('nav', { class: 'subrubrics', 'aria-label': 'Подрубрики' }, rubric.children.flatMap((c) => (c ? [h('a', { href: rubricPath(c.slug) }, c.name)] : []))) : null),
    articles.count ? articles.list : h('p', { class: 'empty' }, 'В рубрике пока нет материалов.'),
    articles.more));
}

export async function tagPage(view: View, slug: string): Promise<void> {
  const articles = await articleList({ tag: slug });
  // The API knows a tag only by its articles: with none, there is no such tag to show (the server answers 404 too).
  if (!articles.count) throw new NotFound();
  const name = articles.tagName ?? slug;
  view.show({ title: name, description: `Материалы с тегом «${name}»` }, h('section', { class: 'listing', 'data-testid': 'tag' },
    h('header', {}, h('span', { class: 'rubric-label' }, 'Тег'), h('h1', {}, name)),
    articles.list,
    articles.more));
}

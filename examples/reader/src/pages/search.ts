import { api, dataOf } from '../api/client.ts';
import { h } from '../dom.ts';
import type { View } from '../view.ts';
import { articleCard } from './article-list.ts';
import { moreButton } from './more.ts';

const pageSize = 10;

export async function searchPage(view: View, query: string): Promise<void> {
  const q = query.trim();
  const head = { title: q ? `Поиск: ${q}` : 'Поиск' };
  const form = h(
    'form',
    { class: 'search-form', action: '/search', method: 'get', role: 'search' },
    h('input', {
      type: 'search',
      name: 'q',
      value: q,
      'aria-label': 'Что найти',
      placeholder: 'Что найти',
      required: true,
      maxlength: 200,
    }),
    h('button', { type: 'submit' }, 'Найти'),
  );
  if (!q) {
    view.show(head, h('section', { class: 'listing' }, h('h1', {}, 'Поиск'), form));
    return;
  }
  const load = async (cursor?: string) =>
    dataOf(await api.GET('/v1/search', { params: { query: { q, limit: pageSize, ...(cursor ? { cursor } : {}) } } }));
  const first = await load();
  const card = (hit: (typeof first.items)[number]) => articleCard(hit, { snippetHtml: hit.snippet });
  const list = h('ul', { class: 'cards', 'data-testid': 'search-results' }, first.items.map(card));
  view.show(
    head,
    h(
      'section',
      { class: 'listing' },
      h('h1', {}, 'Поиск'),
      form,
      first.items.length ? list : h('p', { class: 'empty' }, `По запросу «${q}» ничего не нашлось.`),
      moreButton(list, first.nextCursor, async (cursor) => {
        const next = await load(cursor);
        return { items: next.items.map(card), nextCursor: next.nextCursor };
      }),
    ),
  );
}

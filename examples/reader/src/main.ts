import './styles.css';
import { api, ApiError, dataOf } from './api/client.ts';
import { h, rubricPath } from './dom.ts';
import { setHead } from './head.ts';
import { articlePage } from './pages/article.ts';
import { feedPage } from './pages/feed.ts';
import { rubricPage, tagPage } from './pages/listing.ts';
import { searchPage } from './pages/search.ts';

const main = document.querySelector<HTMLElement>('#main')!;
const routes: [RegExp, (match: string[], url: URL) => Promise<void>][] = [
  [/^\/$/, () => feedPage(main)],
  [/^\/articles\/([^/]+)$/, ([, slug]) => articlePage(main, decodeURIComponent(slug!))],
  [/^\/rubrics\/([^/]+)$/, ([, slug]) => rubricPage(main, decodeURIComponent(slug!))],
  [/^\/tags\/([^/]+)$/, ([, slug]) => tagPage(main, decodeURIComponent(slug!))],
  [/^\/search$/, (_match, url) => searchPage(main, url.searchParams.get('q') ?? '')],
];

function notFound(): void {
  setHead({ title: 'Страница не найдена' });
  main.replaceChildren(h('section', { class: 'message' }, h('h1', {}, 'Страница не найдена'), h('p', {}, h('a', { href: '/' }, 'На главную'))));
}

/** Renders the page of the current address; `data-state` tells tests (and styles) when it is done. */
async function render(): Promise<void> {
  const url = new URL(window.location.href);
  const route = routes.find(([pattern]) => pattern.test(url.pathname));
  document.body.dataset.state = 'loading';
  try {
    if (!route) notFound();
    else await route[1](url.pathname.match(route[0])!, url);
    document.body.dataset.state = 'ready';
  } catch (error) {
    if (error instanceof ApiError && error.status === 404) notFound();
    else {
      setHead({ title: 'Ошибка' });
      const requestId = error instanceof ApiError ? error.problem?.requestId : undefined;
      main.replaceChildren(h('section', { class: 'message' }, h('h1', {}, 'Не удалось загрузить страницу'),
        h('p', {}, error instanceof Error ? error.message : String(error)), requestId ? h('p', { class: 'request-id' }, `Код запроса: ${requestId}`) : null));
    }
    document.body.dataset.state = error instanceof ApiError && error.status === 404 ? 'ready' : 'error';
  }
  // The search box always shows the current query.
  const box = document.querySelector<HTMLInputElement>('#site-search input[name="q"]');
  if (box) box.value = url.pathname === '/search' ? url.searchParams.get('q') ?? '' : '';
}

/** Follows links and the search form inside the page without reloading it. */
function navigate(to: string): void {
  history.pushState(null, '', to);
  window.scrollTo(0, 0);
  void render();
}

document.addEventListener('click', (event) => {
  const link = (event.target as Element | null)?.closest('a');
  if (!link || link.target || link.origin !== window.location.origin || event.defaultPrevented) return;
  if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  event.preventDefault();
  navigate(link.pathname + link.search);
});
document.addEventListener('submit', (event) => {
  const form = event.target as HTMLFormElement;
  if (form.getAttribute('action') !== '/search') return;
  event.preventDefault();
  const q = String(new FormData(form).get('q') ?? '').trim();
  if (q) navigate(`/search?q=${encodeURIComponent(q)}`);
});
window.addEventListener('popstate', () => void render());

/** The rubric menu: the top-level rubrics in the newsroom's order. */
async function renderMenu(): Promise<void> {
  const rubrics = dataOf(await api.GET('/v1/rubrics', { params: { query: { limit: 50 } } }));
  const nav = document.querySelector('#rubrics')!;
  nav.replaceChildren(...rubrics.items.filter((r) => !r.parent).map((r) => h('a', { href: rubricPath(r.slug) }, r.name)));
}

void renderMenu().catch(() => undefined);
void render();

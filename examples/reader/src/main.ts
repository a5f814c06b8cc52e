import './styles.css';
import { api, ApiError, dataOf } from './api/client.ts';
import { h, rubricPath } from './dom.ts';
import { siteName } from './head.ts';
import { articlePage } from './pages/article.ts';
import { feedPage } from './pages/feed.ts';
import { rubricPage, tagPage } from './pages/listing.ts';
import { searchPage } from './pages/search.ts';
import { pageRoutes } from './routes.ts';
import { createView, type View } from './view.ts';

const main = document.querySelector<HTMLElement>('#main')!;

/** What a page throws when there is nothing at its address: the reader gets the "not found" page. */
class NotFound extends Error {}

/** A slug from the address; a malformed escape (`%E0`) is no page of ours. */
function slugOf(match: string[]): string {
  try {
    return decodeURIComponent(match[1]!);
  } catch {
    throw new NotFound();
  }
}

const routes: [RegExp, (match: string[], url: URL, view: View) => Promise<void>][] = [
  [pageRoutes.feed, (_match, _url, view) => feedPage(view)],
  [pageRoutes.article, (match, _url, view) => articlePage(view, slugOf(match))],
  [pageRoutes.rubric, (match, _url, view) => rubricPage(view, slugOf(match))],
  [pageRoutes.tag, (match, _url, view) => tagPage(view, slugOf(match))],
  [pageRoutes.search, (_match, url, view) => searchPage(view, url.searchParams.get('q') ?? '')],
];
const routeOf = (pathname: string) => routes.find(([pattern]) => pattern.test(pathname));

// 400 too: the API refuses a slug it could never have (too long, malformed), so no such page either.
const isMissing = (error: unknown) =>
  error instanceof NotFound || (error instanceof ApiError && (error.status === 404 || error.status === 400));

function notFound(view: View): void {
  view.show(
    { title: 'Страница не найдена' },
    h('section', { class: 'message' }, h('h1', {}, 'Страница не найдена'), h('p', {}, h('a', { href: '/' }, 'На главную'))),
  );
}

function failure(view: View, error: unknown): void {
  const requestId = error instanceof ApiError ? error.problem?.requestId : undefined;
  view.show(
    { title: 'Ошибка' },
    h(
      'section',
      { class: 'message' },
      h('h1', {}, 'Не удалось загрузить страницу'),
      h('p', {}, error instanceof Error ? error.message : String(error)),
      requestId ? h('p', { class: 'request-id' }, `Код запроса: ${requestId}`) : null,
    ),
  );
}

/** Shows the page of an address, or why there is none; answers the `data-state` it ends in. */
async function renderPage(url: URL, view: View): Promise<'ready' | 'error'> {
  const route = routeOf(url.pathname);
  try {
    if (!route) throw new NotFound();
    await route[1](url.pathname.match(route[0])!, url, view);
    return 'ready';
  } catch (error) {
    if (isMissing(error)) {
      notFound(view);
      return 'ready';
    }
    failure(view, error);
    return 'error';
  }
}

/** How the reader came to a page: a link followed in the page, or the browser's back and forward. */
type Navigation = 'link' | 'history';

/**
 * After a navigation the focus moves to the new page's heading, so that a screen reader starts
 * there rather than at <body>; a followed link also starts the page at its top.
 */
function arrive(navigation: Navigation): void {
  if (navigation === 'link') window.scrollTo(0, 0);
  const heading = main.querySelector('h1');
  if (!heading) return;
  heading.tabIndex = -1;
  heading.focus({ preventScroll: true });
}

let renders = 0;

/** Renders the page of the current address; `data-state` tells tests (and styles) when it is done. */
async function render(navigation?: Navigation): Promise<void> {
  const url = new URL(window.location.href);
  // Pages render into <main> when their data arrives: a slow earlier page must not land over a newer one.
  const current = ++renders;
  const isCurrent = () => current === renders;
  document.body.dataset.state = 'loading';
  main.setAttribute('aria-busy', 'true');
  const state = await renderPage(url, createView(main, isCurrent));
  if (!isCurrent()) return;
  main.removeAttribute('aria-busy');
  // On the first load the focus and scroll stay the browser's.
  if (navigation) arrive(navigation);
  // The search box always shows the current query.
  const box = document.querySelector<HTMLInputElement>('#site-search input[name="q"]');
  if (box) box.value = url.pathname === '/search' ? (url.searchParams.get('q') ?? '') : '';
  document.body.dataset.state = state;
}

/** Follows links and the search form inside the page without reloading it. */
function navigate(to: string): void {
  history.pushState(null, '', to);
  void render('link');
}

document.addEventListener('click', (event) => {
  const link = (event.target as Element | null)?.closest('a');
  if (!link || link.target || link.hasAttribute('download') || link.origin !== window.location.origin || event.defaultPrevented) return;
  // Only the page's own routes: /v1/feeds/rss.xml and the like are the API's, for the browser to open.
  if (!routeOf(link.pathname)) return;
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
window.addEventListener('popstate', () => void render('history'));

/** The rubric menu: the top-level rubrics in the newsroom's order. */
async function renderMenu(): Promise<void> {
  const rubrics = dataOf(await api.GET('/v1/rubrics', { params: { query: { limit: 50 } } }));
  const nav = document.querySelector('#rubrics')!;
  nav.replaceChildren(...rubrics.items.filter((r) => !r.parent).map((r) => h('a', { href: rubricPath(r.slug) }, r.name)));
}

// The masthead names the site the server says this is (SITE_NAME).
document.querySelector('.logo')!.textContent = siteName();
void renderMenu().catch(() => undefined);
void render();

import { api, apiUrl, dataOf, type Block, type Media, type PublicArticle } from '../api/client.ts';
import { adMarkingLine, articlePath, commentCountText, h, rubricPath, time } from '../dom.ts';
import { articleHead } from '../seo.ts';
import type { View } from '../view.ts';
import { listText, markKeyPoints, runsPerItem, type Run } from '../key-points.ts';
import { figure } from '../picture.ts';
import { articleCard } from './article-list.ts';
import { closeLiveStream, liveCoverage } from './live.ts';

const highlightSetting = 'reader:highlight-key-points';
const bodySizes = '(min-width: 760px) 720px, 100vw';

function runs(list: Run[]): (HTMLElement | string)[] {
  return list.map((run) => (run.keyPoint ? h('span', { class: 'key-point' }, run.text) : run.text));
}

/** The body's blocks; the texts that may hold key passages are split into runs first. */
function body(blocks: Block[], keyPoints: string[]): HTMLElement {
  const texts: string[] = [];
  for (const block of blocks) {
    if (block.type === 'paragraph' || block.type === 'heading' || block.type === 'quote') texts.push(block.text);
    else if (block.type === 'list') texts.push(listText(block.items));
  }
  const marked = markKeyPoints(texts, keyPoints);
  let next = 0;
  const nextRuns = () => marked[next++] ?? [];
  const take = () => runs(nextRuns());

  return h(
    'div',
    { class: 'article-body', 'data-testid': 'article-body' },
    blocks.map((block) => {
      switch (block.type) {
        case 'paragraph':
          return h('p', {}, take());
        case 'heading':
          return h(block.level === 3 ? 'h3' : 'h2', {}, take());
        case 'quote':
          return h(
            'blockquote',
            { class: 'quote' },
            h('p', {}, take()),
            block.attribution ? h('footer', {}, `— ${block.attribution}`) : null,
          );
        case 'list':
          return h(
            block.style === 'numbered' ? 'ol' : 'ul',
            {},
            runsPerItem(nextRuns(), block.items).map((item) => h('li', {}, runs(item))),
          );
        case 'image':
          return figure(block.media, block.caption, { sizes: bodySizes });
        case 'embed':
          return h(
            'p',
            { class: 'embed' },
            h('a', { href: block.url, rel: 'noopener', target: '_blank' }, block.caption ?? block.provider ?? block.url),
          );
        default:
          // A block type newer than this reader is left out.
          return null;
      }
    }),
  );
}

// Storage can be off (private modes, policies): the toggle then just forgets.
const remembered = () => {
  try {
    return localStorage.getItem(highlightSetting);
  } catch {
    return null;
  }
};
const remember = (value: string) => {
  try {
    localStorage.setItem(highlightSetting, value);
  } catch {
    /* not remembered */
  }
};

/** "Highlight the main points": marks the key passages on and off, remembered between articles. */
function highlightToggle(article: HTMLElement, count: number): HTMLElement | null {
  if (count === 0) return null;
  const button = h(
    'button',
    { type: 'button', class: 'toggle', 'data-testid': 'highlight-toggle', 'aria-pressed': 'false' },
    'Выделить главное',
  );
  const set = (on: boolean) => {
    article.classList.toggle('highlights-on', on);
    button.setAttribute('aria-pressed', String(on));
    remember(on ? 'on' : 'off');
  };
  button.addEventListener('click', () => set(!article.classList.contains('highlights-on')));
  set(remembered() === 'on');
  return button;
}

/** "Listen to the text": plays the narration when the article has one. */
function listenControl(narration: Media | null | undefined): HTMLElement | null {
  if (narration?.kind !== 'audio') return null;
  const audio = h('audio', { src: apiUrl(narration.url), preload: 'none', 'data-testid': 'narration' });
  const minutes = narration.durationSeconds ? ` · ${Math.max(1, Math.round(narration.durationSeconds / 60))} мин` : '';
  // The label stays; aria-pressed says whether it is playing (screen readers announce "pressed").
  const button = h(
    'button',
    { type: 'button', class: 'toggle listen', 'data-testid': 'listen', 'aria-pressed': 'false' },
    `Слушать текст${minutes}`,
  );
  const status = h('span', { class: 'listen-status', role: 'status' });
  button.addEventListener('click', () => {
    if (!audio.paused) return audio.pause();
    status.textContent = '';
    audio.play().catch(() => {
      status.textContent = 'Не удалось включить запись';
    });
  });
  audio.addEventListener('play', () => button.setAttribute('aria-pressed', 'true'));
  audio.addEventListener('pause', () => button.setAttribute('aria-pressed', 'false'));
  audio.addEventListener('ended', () => button.setAttribute('aria-pressed', 'false'));
  return h('span', { class: 'listen-control' }, button, audio, status);
}

function authors(article: PublicArticle): HTMLElement | null {
  if (!article.authors?.length) return null;
  return h('p', { class: 'byline' }, article.authors.map((a) => a.displayName).join(', '));
}

const correctionLabels: Record<string, string> = { correction: 'Исправление', clarification: 'Уточнение', update: 'Обновление' };

/** «Обновлено»: only when a correction or a substantive update changed the story after it came out. */
function updated(article: PublicArticle): HTMLElement | null {
  if (!article.displayUpdatedAt || !article.publishedAt || article.displayUpdatedAt <= article.publishedAt) return null;
  return h('span', { class: 'updated', 'data-testid': 'updated' }, 'Обновлено ', time(article.displayUpdatedAt));
}

/** Corrections, clarifications and updates at the foot of the article, oldest first. */
function corrections(article: PublicArticle): HTMLElement | null {
  if (!article.corrections?.length) return null;
  return h(
    'section',
    { class: 'corrections', 'data-testid': 'corrections', 'aria-labelledby': 'corrections-title' },
    h('h2', { id: 'corrections-title', class: 'section-title' }, 'Исправления и уточнения'),
    h(
      'ul',
      {},
      article.corrections.map((c) =>
        h('li', {}, h('strong', {}, `${correctionLabels[c.kind] ?? c.kind}. `), time(c.publishedAt), ' ', c.text),
      ),
    ),
  );
}

/** The live comment count, read apart from the page (which is cached longer and not purged on every comment). */
function commentCount(article: PublicArticle): HTMLElement | null {
  if (article.commentsEnabled === false) return null;
  const element = h('span', { class: 'comment-count', 'data-testid': 'comment-count' });
  void api.GET('/v1/comment-counts', { params: { query: { articles: article.id } } }).then(({ data }) => {
    const count = data?.items[0]?.count;
    if (count !== undefined) element.textContent = commentCountText(count);
  });
  return element;
}

export async function articlePage(view: View, slug: string): Promise<void> {
  closeLiveStream();
  const article = dataOf(
    await api.GET('/v1/articles/{slug}', {
      params: { path: { slug }, query: { include: 'rubric,authors,tags,cover,related' } },
    }),
  );
  // The API answers a renamed article at its new slug: the address bar follows.
  const address = article.slug && article.slug !== slug ? articlePath(article.slug) : undefined;
  const head = articleHead(article, address ? new URL(address, window.location.origin).href : window.location.href);

  const element = h('article', { class: 'article', 'data-testid': 'article' });
  element.append(
    h(
      'header',
      { class: 'article-header' },
      article.rubric ? h('a', { class: 'rubric-label', href: rubricPath(article.rubric.slug) }, article.rubric.name) : null,
      h('h1', {}, article.title ?? ''),
      adMarkingLine(article.adMarking),
      h(
        'div',
        { class: 'article-meta' },
        article.publishedAt ? time(article.publishedAt) : null,
        updated(article),
        authors(article),
        commentCount(article),
      ),
      h('div', { class: 'article-tools' }, highlightToggle(element, article.keyPoints?.length ?? 0), listenControl(article.narration)),
      article.lead ? h('p', { class: 'lead' }, article.lead) : null,
    ),
    article.cover ? figure(article.cover, null, { sizes: bodySizes, aspectRatio: 'original', eager: true }) : '',
    body(article.body ?? [], article.keyPoints ?? []),
    article.live ? liveCoverage(article, article.live) : '',
    article.tags?.length
      ? h(
          'ul',
          { class: 'tags', 'aria-label': 'Теги' },
          article.tags.map((tag) => h('li', {}, h('a', { href: `/tags/${encodeURIComponent(tag.slug)}` }, tag.name))),
        )
      : '',
    corrections(article) ?? '',
  );
  const related = article.related?.length
    ? h(
        'aside',
        { class: 'related' },
        h('h2', { class: 'section-title' }, 'Читайте также'),
        h(
          'ul',
          { class: 'cards' },
          article.related.map((r) => articleCard(r)),
        ),
      )
    : null;
  view.show({ ...head, address }, element, related);
}

import { apiBaseUrl, type Block, type PublicArticle } from '../api/client.ts';
import { h, time } from '../dom.ts';

type LiveBlock = NonNullable<PublicArticle['live']>;
type LiveEntry = LiveBlock['entries'][number];

// One stream at a time: the live blog the reader is on. Leaving it (another page) closes it.
let openStream: EventSource | undefined;

/** Closes the stream of the live blog shown before, if any. */
export function closeLiveStream(): void {
  openStream?.close();
  openStream = undefined;
}

function entryBody(blocks: Block[]): HTMLElement[] {
  return blocks.flatMap((block) => {
    switch (block.type) {
      case 'paragraph':
        return [h('p', {}, block.text)];
      case 'heading':
        return [h('h3', {}, block.text)];
      case 'quote':
        return [
          h('blockquote', { class: 'quote' }, h('p', {}, block.text), block.attribution ? h('footer', {}, `— ${block.attribution}`) : null),
        ];
      case 'list':
        return [
          h(
            block.style === 'numbered' ? 'ol' : 'ul',
            {},
            block.items.map((item) => h('li', {}, item)),
          ),
        ];
      case 'image':
        return [
          h(
            'figure',
            {},
            h('img', { src: block.media.url, alt: block.media.altText ?? '', loading: 'lazy' }),
            block.caption ? h('figcaption', {}, block.caption) : null,
          ),
        ];
      case 'embed':
        return [h('p', { class: 'embed' }, h('a', { href: block.url, rel: 'noopener', target: '_blank' }, block.caption ?? block.url))];
      default:
        return [];
    }
  });
}

function entryElement(entry: LiveEntry): HTMLElement {
  return h(
    'article',
    {
      class: `live-entry${entry.isKeyEvent ? ' key-event' : ''}`,
      id: `entry-${entry.id}`,
      'data-entry-id': entry.id,
      'data-testid': 'live-entry',
    },
    h(
      'div',
      { class: 'live-entry-meta' },
      time(entry.publishedAt, { short: true }),
      entry.authors.length ? h('span', {}, entry.authors.map((a) => a.displayName).join(', ')) : null,
    ),
    entry.title ? h('h2', { class: 'live-entry-title' }, entry.title) : null,
    ...entryBody(entry.body),
  );
}

/**
 * A live blog: the «Прямой эфир» label while coverage runs, the pinned entry, the key events linking down to
 * their entries, and the entries, newest first; new, edited and deleted entries arrive from the stream.
 */
export function liveCoverage(article: PublicArticle, live: LiveBlock): HTMLElement {
  const label = h('span', { class: 'badge badge-live', 'data-testid': 'live-label' }, 'Прямой эфир');
  const pinned = h('div', { class: 'live-pinned', 'data-testid': 'live-pinned' });
  const keyEvents = h('ol', { class: 'live-key-events', 'data-testid': 'live-key-events' });
  const entries = h('div', { class: 'live-entries', 'data-testid': 'live-entries' }, live.entries.map(entryElement));
  const section = h(
    'section',
    { class: 'live', 'aria-label': 'Прямой эфир' },
    live.isLive ? label : null,
    pinned,
    h('nav', { class: 'live-key-events-nav', 'aria-label': 'Ключевые события' }, keyEvents),
    entries,
  );
  const known = new Map<string, LiveEntry>(live.entries.map((entry) => [entry.id, entry]));
  if (live.pinned) known.set(live.pinned.id, live.pinned);

  const renderPinned = () => {
    const entry = [...known.values()].find((e) => e.isPinned);
    pinned.replaceChildren(...(entry ? [h('p', { class: 'live-pinned-title' }, 'Закреплено'), entryElement(entry)] : []));
  };
  const renderKeyEvents = (extra: LiveBlock['keyEvents'] = []) => {
    const fromEntries = [...known.values()]
      .filter((e) => e.isKeyEvent)
      .map((e) => ({ id: e.id, title: e.title ?? '', publishedAt: e.publishedAt }));
    const all = new Map([...extra, ...fromEntries].map((e) => [e.id, e]));
    keyEvents.replaceChildren(
      ...[...all.values()]
        .filter((e) => !known.has(e.id) || known.get(e.id)!.isKeyEvent)
        .sort((a, b) => b.publishedAt.localeCompare(a.publishedAt))
        .map((e) => h('li', {}, h('a', { href: `#entry-${e.id}` }, e.title))),
    );
  };
  renderPinned();
  renderKeyEvents(live.keyEvents);

  const show = (entry: LiveEntry) => {
    known.set(entry.id, entry);
    const element = entryElement(entry);
    const current = entries.querySelector(`[data-entry-id="${CSS.escape(entry.id)}"]`);
    if (current) current.replaceWith(element);
    else entries.prepend(element);
    renderPinned();
    renderKeyEvents();
  };

  closeLiveStream();
  if (live.isLive) {
    const stream = new EventSource(`${apiBaseUrl()}/v1/stream?topics=live:${encodeURIComponent(article.id)}`);
    openStream = stream;
    const data = (event: Event) =>
      JSON.parse((event as MessageEvent<string>).data) as { entry?: LiveEntry; id?: string; unpinnedIds?: string[] };
    const onEntry = (event: Event) => {
      if (!section.isConnected) return closeLiveStream();
      const { entry, unpinnedIds = [] } = data(event);
      for (const id of unpinnedIds) {
        const unpinned = known.get(id);
        if (unpinned) known.set(id, { ...unpinned, isPinned: false });
      }
      if (entry) show(entry);
    };
    stream.addEventListener('live_entry.created', onEntry);
    stream.addEventListener('live_entry.updated', onEntry);
    stream.addEventListener('live_entry.deleted', (event) => {
      const { id } = data(event);
      if (!id) return;
      known.delete(id);
      entries.querySelector(`[data-entry-id="${CSS.escape(id)}"]`)?.remove();
      renderPinned();
      renderKeyEvents();
    });
    stream.addEventListener('live.ended', () => {
      label.remove();
      closeLiveStream();
    });
    // Too much was missed while away: the page is read again.
    stream.addEventListener('reset', () => window.location.reload());
  }
  return section;
}

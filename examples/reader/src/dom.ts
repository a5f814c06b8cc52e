type Child = Node | string | null | undefined | false;
type Attributes = Record<string, string | number | boolean | null | undefined | EventListener>;

/**
 * Builds an element. Text is always inserted as text, never parsed as HTML: content from the API
 * cannot inject markup. Attributes starting with `on` are event listeners; `false`/`null` skip one.
 */
export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attributes: Attributes = {},
  ...children: (Child | Child[])[]
): HTMLElementTagNameMap[K] {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === 'function') element.addEventListener(name.slice(2).toLowerCase(), value);
    else element.setAttribute(name, value === true ? '' : String(value));
  }
  for (const child of children.flat()) if (child !== null && child !== undefined && child !== false) element.append(child);
  return element;
}

const dateTime = new Intl.DateTimeFormat('ru-RU', {
  day: 'numeric',
  month: 'long',
  hour: '2-digit',
  minute: '2-digit',
  timeZone: 'Europe/Moscow',
});
const timeOnly = new Intl.DateTimeFormat('ru-RU', { hour: '2-digit', minute: '2-digit', timeZone: 'Europe/Moscow' });
const dayKey = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Moscow' });

/** A `<time>` whose machine value is the API's UTC ISO 8601 and whose text is the newsroom's local time. */
export function time(iso: string, { short = false } = {}): HTMLTimeElement {
  const at = new Date(iso);
  const sameDay = dayKey.format(at) === dayKey.format(new Date());
  return h('time', { datetime: iso }, (short && sameDay ? timeOnly : dateTime).format(at));
}

/** The advertising marking line (38-FZ): «Реклама», the advertiser and the erid, shown above an ad. */
export function adMarkingLine(marking: { text: string } | null | undefined): HTMLElement | null {
  return marking ? h('p', { class: 'ad-marking', 'data-testid': 'ad-marking' }, marking.text) : null;
}

/** «N комментариев», in the right Russian form. */
export function commentCountText(count: number): string {
  const tens = count % 100;
  const ones = count % 10;
  const word =
    tens >= 11 && tens <= 14 ? 'комментариев' : ones === 1 ? 'комментарий' : ones >= 2 && ones <= 4 ? 'комментария' : 'комментариев';
  return `${count} ${word}`;
}

export const articlePath = (slug: string) => `/articles/${encodeURIComponent(slug)}`;
export const rubricPath = (slug: string) => `/rubrics/${encodeURIComponent(slug)}`;

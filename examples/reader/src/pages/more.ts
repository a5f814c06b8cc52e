import { h } from '../dom.ts';

/** "Show more" for a cursor-paged list: loads the next page until the API says there is none. */
export function moreButton(firstCursor: string | null, loadPage: (cursor: string) => Promise<string | null>): HTMLElement | null {
  if (!firstCursor) return null;
  let cursor: string | null = firstCursor;
  const button = h('button', { type: 'button', class: 'more' }, 'Показать ещё');
  button.addEventListener('click', async () => {
    if (!cursor) return;
    button.disabled = true;
    try {
      cursor = await loadPage(cursor);
      button.textContent = 'Показать ещё';
    } catch {
      button.textContent = 'Не загрузилось. Ещё раз';
    } finally {
      button.disabled = false;
    }
    if (!cursor) button.remove();
  });
  return button;
}

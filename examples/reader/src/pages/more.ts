import { h } from '../dom.ts';

/** A page of a cursor-paged list: its items, made, and the cursor of the page after it. */
export interface MorePage {
  items: HTMLElement[];
  nextCursor: string | null;
}

/** "Show more" for a cursor-paged list: appends the next page to `list` until the API says there is none. */
export function moreButton(
  list: HTMLElement,
  firstCursor: string | null,
  loadPage: (cursor: string) => Promise<MorePage>,
): HTMLElement | null {
  if (!firstCursor) return null;
  let cursor: string | null = firstCursor;
  const button = h('button', { type: 'button', class: 'more' }, 'Показать ещё');
  button.addEventListener('click', async () => {
    if (!cursor) return;
    button.disabled = true;
    let added: HTMLElement[] = [];
    try {
      const page = await loadPage(cursor);
      list.append(...page.items);
      added = page.items;
      cursor = page.nextCursor;
      button.textContent = 'Показать ещё';
    } catch {
      button.textContent = 'Не загрузилось. Ещё раз';
    } finally {
      button.disabled = false;
    }
    if (!cursor) removeAfterLastPage(button, added[0]);
  });
  return button;
}

/** The button goes with the last page; its focus moves to the first item that page brought, not to <body>. */
function removeAfterLastPage(button: HTMLElement, firstAdded: HTMLElement | undefined): void {
  button.remove();
  if (!firstAdded) return;
  firstAdded.tabIndex = -1;
  firstAdded.focus();
}

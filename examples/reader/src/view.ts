import { setHead, type PageHead } from './head.ts';

/**
 * Where a page shows itself once its data is there: its head and the content of <main>. A view
 * whose address the reader has already left shows nothing, so a slow answer never lands over a newer page.
 */
export interface View {
  show(head: PageHead, ...content: (Node | string | null)[]): void;
}

export function createView(main: HTMLElement, isCurrent: () => boolean): View {
  return {
    show(head, ...content) {
      if (!isCurrent()) return;
      setHead(head);
      main.replaceChildren(...content.filter((node): node is Node | string => node !== null));
    },
  };
}

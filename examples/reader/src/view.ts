import { setHead, type PageHead } from './head.ts';

/**
 * Where a page shows itself once its data is there: its head and the content of <main>, and its
 * address when it differs from the one asked for (a renamed article). A view whose address the
 * reader has already left shows nothing and moves no address, so a slow answer never lands over a newer page.
 */
export interface View {
  show(head: PageHead & { address?: string | undefined }, ...content: (Node | string | null)[]): void;
}

export function createView(main: HTMLElement, isCurrent: () => boolean): View {
  return {
    show({ address, ...head }, ...content) {
      if (!isCurrent()) return;
      if (address) history.replaceState(null, '', address);
      setHead(head);
      main.replaceChildren(...content.filter((node): node is Node | string => node !== null));
    },
  };
}

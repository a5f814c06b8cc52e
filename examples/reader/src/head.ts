import { fullTitle, jsonLdText, metaTags, type PageHead } from './seo.ts';

export type { PageHead } from './seo.ts';

export const siteName = () => document.querySelector<HTMLMetaElement>('meta[name="site-name"]')?.content || 'Newsroom';

function setMeta(attribute: 'name' | 'property', key: string, content: string | null | undefined): void {
  let element = document.head.querySelector<HTMLMetaElement>(`meta[${attribute}="${key}"]`);
  if (!content) {
    element?.remove();
    return;
  }
  if (!element) {
    element = document.createElement('meta');
    element.setAttribute(attribute, key);
    document.head.append(element);
  }
  element.content = content;
}

/** Replaces the page-specific part of `<head>` (the server may have written it for the first page). */
export function setHead(head: PageHead): void {
  document.title = fullTitle(head.title, siteName());
  for (const [attribute, key, content] of metaTags({ ...head, canonicalUrl: head.canonicalUrl ?? window.location.href }, siteName()))
    setMeta(attribute, key, content);

  let canonical = document.head.querySelector<HTMLLinkElement>('link[rel="canonical"]');
  if (!canonical) {
    canonical = document.createElement('link');
    canonical.rel = 'canonical';
    document.head.append(canonical);
  }
  canonical.href = head.canonicalUrl ?? window.location.href;

  document.head.querySelector('script[type="application/ld+json"]')?.remove();
  if (head.jsonLd) {
    const script = document.createElement('script');
    script.type = 'application/ld+json';
    script.textContent = jsonLdText(head.jsonLd);
    document.head.append(script);
  }
}

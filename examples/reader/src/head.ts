/** What a page puts in the document's `<head>` for search engines and link previews. */
export interface PageHead {
  title: string;
  description?: string | null | undefined;
  canonicalUrl?: string | undefined;
  imageUrl?: string | undefined;
  type?: 'website' | 'article';
  publishedTime?: string | undefined;
  jsonLd?: unknown;
}

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

/** Replaces the page-specific part of `<head>`: title, description, canonical link, Open Graph and JSON-LD. */
export function setHead(head: PageHead): void {
  const title = head.title === siteName() ? head.title : `${head.title} — ${siteName()}`;
  document.title = title;
  setMeta('name', 'description', head.description);
  setMeta('property', 'og:site_name', siteName());
  setMeta('property', 'og:title', head.title);
  setMeta('property', 'og:description', head.description);
  setMeta('property', 'og:type', head.type ?? 'website');
  setMeta('property', 'og:url', head.canonicalUrl ?? window.location.href);
  setMeta('property', 'og:image', head.imageUrl);
  setMeta('name', 'twitter:card', head.imageUrl ? 'summary_large_image' : 'summary');
  setMeta('property', 'article:published_time', head.publishedTime);

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
    // textContent is never parsed as HTML, so "</script>" inside a headline cannot end the element.
    script.textContent = JSON.stringify(head.jsonLd);
    document.head.append(script);
  }
}

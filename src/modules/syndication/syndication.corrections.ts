import type { CorrectionLogEntryResponse } from '../articles/articles.corrections.schemas.ts';
import type { SiteInfo } from './syndication.json-ld.ts';
import { element, emptyElement, rfc822, textElement, xmlDocument } from './syndication.xml.ts';

const kindLabels: Record<CorrectionLogEntryResponse['kind'], string> = {
  correction: 'Исправление',
  clarification: 'Уточнение',
  update: 'Обновление',
};

/** The corrections log as RSS 2.0: one item per correction, linking its article, newest first. */
export function renderCorrectionsRss(entries: readonly CorrectionLogEntryResponse[], site: SiteInfo, now: Date): string {
  const selfUrl = site.urls.absolute('/v1/feeds/corrections.xml');
  const items = entries.map((entry) =>
    element('item', {}, [
      textElement('title', `${kindLabels[entry.kind]}: ${entry.article.title}`),
      textElement('link', site.urls.article(entry.article.slug)),
      textElement('guid', `urn:uuid:${entry.id}`, { isPermaLink: 'false' }),
      textElement('pubDate', rfc822(entry.publishedAt)),
      textElement('description', entry.text),
      textElement('category', entry.kind),
    ]),
  );
  return xmlDocument(
    element('rss', { version: '2.0', 'xmlns:atom': 'http://www.w3.org/2005/Atom' }, [
      element('channel', {}, [
        textElement('title', `Исправления — ${site.name}`),
        textElement('link', site.urls.home()),
        textElement('description', `Исправления, уточнения и обновления материалов: ${site.name}`),
        textElement('language', site.language),
        textElement('lastBuildDate', rfc822(entries[0]?.publishedAt ?? now.toISOString())),
        emptyElement('atom:link', { href: selfUrl, rel: 'self', type: 'application/rss+xml' }),
        ...items,
      ]),
    ]),
  );
}

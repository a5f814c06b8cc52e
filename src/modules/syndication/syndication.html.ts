import type { PublicArticleBlockResponse } from '../articles/articles.public.schemas.ts';
import { escapeXml as escapeHtml } from './syndication.xml.ts';
import { feedImageOf } from './syndication.media.ts';

/** An article's body as HTML for feed readers (RSS content:encoded, Atom content, JSON Feed content_html). */
export function bodyToHtml(blocks: readonly PublicArticleBlockResponse[], absolute: (url: string) => string): string {
  return blocks
    .map((block) => {
      switch (block.type) {
        case 'paragraph':
          return `<p>${escapeHtml(block.text)}</p>`;
        case 'heading':
          return `<h${block.level}>${escapeHtml(block.text)}</h${block.level}>`;
        case 'quote': {
          const footer = block.attribution ? `<footer>${escapeHtml(block.attribution)}</footer>` : '';
          return `<blockquote><p>${escapeHtml(block.text)}</p>${footer}</blockquote>`;
        }
        case 'list': {
          const tag = block.style === 'numbered' ? 'ol' : 'ul';
          return `<${tag}>${block.items.map((item) => `<li>${escapeHtml(item)}</li>`).join('')}</${tag}>`;
        }
        case 'image': {
          const image = feedImageOf(block.media);
          if (!image) return '';
          const alt = block.media.altText ?? block.caption ?? '';
          const caption = [block.caption ?? block.media.caption, block.media.credit].filter(Boolean).join(' — ');
          const size = image.width && image.height ? ` width="${image.width}" height="${image.height}"` : '';
          const figcaption = caption ? `<figcaption>${escapeHtml(caption)}</figcaption>` : '';
          return `<figure><img src="${escapeHtml(absolute(image.url))}" alt="${escapeHtml(alt)}"${size}/>${figcaption}</figure>`;
        }
        case 'embed':
          return `<p><a href="${escapeHtml(block.url)}">${escapeHtml(block.caption ?? block.provider ?? block.url)}</a></p>`;
        default:
          return '';
      }
    })
    .filter(Boolean)
    .join('\n');
}

import { apiUrl, type Media, type Rendition } from './api/client.ts';
import { h } from './dom.ts';

const formatOrder = ['avif', 'webp', 'jpeg', 'png'] as const;

/**
 * A responsive `<picture>` from a photo's renditions: one `<source>` per modern format with every
 * width in its srcset, and an `<img>` in the fallback format. `aspectRatio` picks a crop ("16:9",
 * "original"); a photo without renditions (added by URL) is shown from its url alone.
 */
export function picture(
  media: Media,
  { sizes, aspectRatio = 'original', eager = false }: { sizes: string; aspectRatio?: string; eager?: boolean },
): HTMLPictureElement {
  const available = media.renditions.some((r) => r.aspectRatio === aspectRatio) ? aspectRatio : 'original';
  const renditions = media.renditions.filter((r) => r.aspectRatio === available);
  const byFormat = new Map<Rendition['format'], Rendition[]>();
  for (const rendition of renditions) byFormat.set(rendition.format, [...(byFormat.get(rendition.format) ?? []), rendition]);
  const srcset = (list: Rendition[]) =>
    [...list]
      .sort((a, b) => a.width - b.width)
      .map((r) => `${apiUrl(r.url)} ${r.width}w`)
      .join(', ');

  const formats = formatOrder.filter((f) => byFormat.has(f));
  const fallbackFormat = formats.at(-1);
  const fallback = fallbackFormat ? byFormat.get(fallbackFormat)! : [];
  const largest = [...fallback].sort((a, b) => b.width - a.width)[0];
  const img = h('img', {
    src: apiUrl(largest?.url ?? media.url),
    srcset: fallback.length ? srcset(fallback) : null,
    sizes: fallback.length ? sizes : null,
    width: largest?.width ?? media.width,
    height: largest?.height ?? media.height,
    alt: media.altText ?? media.caption ?? '',
    loading: eager ? 'eager' : 'lazy',
    decoding: 'async',
  });
  // The dominant colour fills the photo's place until it loads (set through CSSOM: the CSP allows no inline style attributes).
  if (media.dominantColor) img.style.backgroundColor = media.dominantColor;
  return h(
    'picture',
    {},
    formats
      .slice(0, -1)
      .map((format) => h('source', { type: byFormat.get(format)![0]!.mimeType, srcset: srcset(byFormat.get(format)!), sizes })),
    img,
  );
}

/** A photo with its caption and credit, as the article page shows it. */
export function figure(
  media: Media,
  caption: string | null | undefined,
  options: { sizes: string; aspectRatio?: string; eager?: boolean },
): HTMLElement {
  const text = caption ?? media.caption;
  return h(
    'figure',
    { class: 'photo' },
    picture(media, options),
    text || media.credit
      ? h(
          'figcaption',
          {},
          text ? h('span', { class: 'caption' }, text) : null,
          media.credit ? h('span', { class: 'credit', 'data-testid': 'photo-credit' }, `Фото: ${media.credit}`) : null,
        )
      : null,
  );
}

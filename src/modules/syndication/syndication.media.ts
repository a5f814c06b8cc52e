import type { MediaResponse } from '../media/media.schemas.ts';

export interface FeedImage {
  url: string;
  mimeType: string;
  width: number | null;
  height: number | null;
  sizeBytes: number | null;
}

/** Feed readers and crawlers do not all read AVIF or WebP: the JPEG or PNG renditions are the ones to hand them. */
const isWidelyRead = (mimeType: string) => mimeType === 'image/jpeg' || mimeType === 'image/png';

/** Wide enough for any reader, far lighter than a camera original. */
const FEED_IMAGE_MAX_WIDTH = 1600;

/**
 * The picture of an image to put in a feed: its largest JPEG or PNG rendition of the aspect ratio up to
 * 1600 px wide, else (for `original`) the file itself. Null for a crop the image does not have.
 */
export function feedImageOf(media: MediaResponse, aspectRatio = 'original'): FeedImage | null {
  const candidates = media.renditions.filter((r) => r.aspectRatio === aspectRatio && isWidelyRead(r.mimeType));
  const largestFitting = candidates.filter((r) => r.width <= FEED_IMAGE_MAX_WIDTH).sort((a, b) => b.width - a.width)[0];
  const best = largestFitting ?? [...candidates].sort((a, b) => a.width - b.width)[0];
  if (best) return { url: best.url, mimeType: best.mimeType, width: best.width, height: best.height, sizeBytes: best.sizeBytes };
  if (aspectRatio !== 'original' || media.kind !== 'image') return null;
  return { url: media.url, mimeType: media.mimeType, width: media.width, height: media.height, sizeBytes: media.sizeBytes };
}

/** The crops an image has besides the whole picture (16:9, 1:1…), in a stable order. */
export const cropRatiosOf = (media: MediaResponse) =>
  [...new Set(media.renditions.map((r) => r.aspectRatio).filter((ratio) => ratio !== 'original'))].sort();

import type { Media, MediaRendition } from '../../generated/sqlite/client.ts';
import { formatOrder, type RenditionFormat } from './media.images.ts';
import type { AdminMediaResponse, MediaResponse } from './media.schemas.ts';

/** Where stored files are served, below the API's origin or the configured public base URL. */
export const filesPath = '/v1/media/files/';

/** The URL of a stored file, under the public base URL (a CDN) or as a path on this API. */
export function fileUrl(storageKey: string, publicBaseUrl = ''): string {
  return `${publicBaseUrl}${filesPath}${storageKey}`;
}

// An uploaded media's url was made by fileUrl at upload, so its renditions are served from beside it.
function filesBaseOf(row: Media): string {
  const at = row.url.indexOf(filesPath);
  return row.storageKey !== null && at >= 0 ? row.url.slice(0, at) : '';
}

const rank = (format: string) => formatOrder.indexOf(format as RenditionFormat);

/**
 * Also used by other modules to embed media (an article's cover, body photos, narration). A row
 * loaded without `include: { renditions: true }` is answered with no renditions.
 */
export function toMediaResponse(row: Media & { renditions?: MediaRendition[] }): MediaResponse {
  const base = filesBaseOf(row);
  const renditions = [...(row.renditions ?? [])]
    .sort(
      (a, b) =>
        Number(a.aspectRatio !== 'original') - Number(b.aspectRatio !== 'original') ||
        a.aspectRatio.localeCompare(b.aspectRatio) ||
        rank(a.format) - rank(b.format) ||
        a.width - b.width,
    )
    .map((r) => ({
      url: fileUrl(r.storageKey, base),
      aspectRatio: r.aspectRatio,
      width: r.width,
      height: r.height,
      mimeType: r.mimeType,
      format: r.format as RenditionFormat,
      sizeBytes: r.sizeBytes,
    }));
  return {
    id: row.id,
    kind: row.kind,
    url: row.url,
    mimeType: row.mimeType,
    sizeBytes: row.sizeBytes,
    width: row.width,
    height: row.height,
    durationSeconds: row.durationSeconds,
    caption: row.caption,
    altText: row.altText,
    credit: row.credit,
    source: row.source,
    focalX: row.focalX,
    focalY: row.focalY,
    dominantColor: row.dominantColor,
    renditions,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function toAdminMediaResponse(row: Media & { renditions?: MediaRendition[] }): AdminMediaResponse {
  return { ...toMediaResponse(row), createdById: row.createdById, contentHash: row.contentHash, version: row.version };
}

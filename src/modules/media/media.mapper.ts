import type { Media } from '../../generated/sqlite/client.ts';
import type { AdminMediaResponse, MediaResponse } from './media.schemas.ts';

/** Also used by other modules to embed media (an article's cover, body photos, narration). */
export function toMediaResponse(row: Media): MediaResponse {
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
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function toAdminMediaResponse(row: Media): AdminMediaResponse {
  return { ...toMediaResponse(row), createdById: row.createdById };
}

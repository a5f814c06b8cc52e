import type { TagRow } from './tags.repository.ts';
import type { TagRefResponse, TagResponse } from './tags.schemas.ts';

export function toTagResponse(row: TagRow): TagResponse {
  return {
    id: row.id,
    name: row.name,
    slug: row.slug,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function toTagRef(row: TagRow): TagRefResponse {
  return { id: row.id, name: row.name, slug: row.slug };
}

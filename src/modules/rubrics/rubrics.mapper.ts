import type { PublicRubricResponse, RubricResponse } from './rubrics.schemas.ts';
import type { PublicRubricRow, RubricRow } from './rubrics.repository.ts';

export function toRubricResponse(row: RubricRow): RubricResponse {
  return {
    id: row.id,
    name: row.name,
    slug: row.slug,
    description: row.description,
    parentId: row.parentId,
    position: row.position,
    isActive: row.isActive,
    commentsEnabledByDefault: row.commentsEnabledByDefault,
    narration: row.narration === 'auto' || row.narration === 'off' ? row.narration : null,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function toPublicRubricResponse(row: PublicRubricRow): PublicRubricResponse {
  return {
    id: row.id,
    name: row.name,
    slug: row.slug,
    description: row.description,
    position: row.position,
    parent: row.parent?.isActive ? { id: row.parent.id, name: row.parent.name, slug: row.parent.slug } : null,
    children: row.children,
  };
}

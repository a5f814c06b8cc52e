import { translatePrismaError } from '../../db/prisma-errors.ts';
import { AppError, NotFoundError, PreconditionFailedError, ValidationError } from '../../errors.ts';
import { actorLabel } from '../../shared/actor-label.ts';
import type { Actor } from '../../shared/actor.ts';
import { decodeCursor, toPage, type Page } from '../../shared/cursor.ts';
import type { DomainEventType, EventRecorder } from '../../shared/domain-events.ts';
import { keysOfFilterRecordChange, notePurge, rubricFilteredKey, type ListKey } from '../../shared/cache-keys.ts';
import { resolveSlug } from '../../shared/slug-check.ts';
import { toPublicRubricResponse, toRubricResponse } from './rubrics.mapper.ts';
import type { RubricRow, RubricsRepository } from './rubrics.repository.ts';
import type { CreateRubricInput, PublicRubricResponse, RubricResponse, UpdateRubricInput } from './rubrics.schemas.ts';

const isPositionIdKey = (v: unknown[]): v is [number, string] => v.length === 2 && Number.isInteger(v[0]) && typeof v[1] === 'string';

export interface RubricsServiceDeps {
  repo: RubricsRepository;
  /** Where each change's webhook event is recorded, in the change's transaction. */
  events: EventRecorder;
}

export function createRubricsService({ repo, events }: RubricsServiceDeps) {
  // The webhook event of a write, recorded in its transaction; a rubric is its own rubric for webhook filters.
  // With the public answers the write changes, noted for the purge and named in the event: the answers embedding the
  // rubric, the article lists of its slugs and the feed (filtered by rubric slug); a move or (de)activation changes
  // which articles its ancestors' lists hold, and purges every list filtered by rubric.
  const recordEvent =
    (type: DomainEventType, actor: Actor | undefined, former?: RubricRow) =>
    (tx: Parameters<EventRecorder['record']>[0], row: RubricRow) => {
      const isMoved = former !== undefined && (former.parentId !== row.parentId || former.isActive !== row.isActive);
      const extra: ListKey[] = isMoved ? ['feed', rubricFilteredKey] : ['feed'];
      return events.record(tx, {
        type,
        entity: { id: row.id, slug: row.slug, version: row.version, rubricId: row.id },
        actor: actor ? actorLabel(actor) : 'system',
        details: { surrogateKeys: notePurge(keysOfFilterRecordChange('rubric', row.id, [former?.slug, row.slug], extra)) },
      });
    };

  async function assertParentAllowed(rubricId: string | null, parentId: string | null | undefined): Promise<void> {
    if (!parentId) return;
    if (!(await repo.findById(parentId))) {
      throw new ValidationError('The parent rubric does not exist.', [{ field: 'body.parentId', message: 'No rubric has this id' }]);
    }
    if (rubricId && (parentId === rubricId || (await repo.ancestorIds(parentId)).includes(rubricId))) {
      throw new ValidationError('A rubric cannot be its own ancestor.', [{ field: 'body.parentId', message: 'This would make a cycle' }]);
    }
  }

  // A conditional write that changed nothing: the rubric is gone (404) or at another version (412).
  async function failConditionalWrite(id: string): Promise<never> {
    const row = await repo.findById(id);
    if (!row) throw new NotFoundError('rubric');
    throw new PreconditionFailedError(toRubricResponse(row));
  }

  const service = {
    async list(limit: number, cursor?: string): Promise<Page<RubricResponse>> {
      const key = cursor ? decodeCursor(cursor, isPositionIdKey) : undefined;
      return toPage(await repo.list(limit + 1, key), limit, toRubricResponse, (r) => [r.position, r.id]);
    },

    async listPublic(limit: number, cursor?: string): Promise<Page<PublicRubricResponse>> {
      const key = cursor ? decodeCursor(cursor, isPositionIdKey) : undefined;
      return toPage(await repo.listActive(limit + 1, key), limit, toPublicRubricResponse, (r) => [r.position, r.id]);
    },

    async get(id: string): Promise<RubricResponse> {
      const row = await repo.findById(id);
      if (!row) throw new NotFoundError('rubric');
      return toRubricResponse(row);
    },

    async getPublic(slug: string): Promise<PublicRubricResponse> {
      const row = await repo.findActiveBySlug(slug);
      if (!row) throw new NotFoundError('rubric');
      return toPublicRubricResponse(row);
    },

    /** An active rubric's id by slug, for filters of other modules; null when there is none. */
    async findActiveIdBySlug(slug: string): Promise<string | null> {
      const row = await repo.findBySlug(slug);
      return row?.isActive ? row.id : null;
    },

    /** The slug of each given rubric followed by its ancestors' (nearest first): the lists its articles show in. */
    async slugsWithAncestors(ids: readonly string[]): Promise<Map<string, string[]>> {
      const lineages = new Map<string, string[]>();
      if (!ids.length) return lineages;
      const byId = new Map((await repo.listTree()).map((row) => [row.id, row]));
      for (const id of ids) {
        const slugs: string[] = [];
        for (let row = byId.get(id); row && !slugs.includes(row.slug); row = row.parentId ? byId.get(row.parentId) : undefined)
          slugs.push(row.slug);
        lineages.set(id, slugs);
      }
      return lineages;
    },

    async exists(id: string): Promise<boolean> {
      return (await repo.findById(id)) !== null;
    },

    /** Whether a new article of the rubric takes comments by default; true without a rubric (or for an unknown one). */
    async takesCommentsByDefault(id: string | null): Promise<boolean> {
      return id ? ((await repo.findById(id))?.commentsEnabledByDefault ?? true) : true;
    },

    async create(input: CreateRubricInput, actor?: Actor): Promise<RubricResponse> {
      await assertParentAllowed(null, input.parentId);
      const slug = await resolveSlug({ given: input.slug, source: input.name, isTaken: (s) => repo.isSlugTaken(s) });
      const row = await repo.create(
        {
          name: input.name,
          slug,
          description: input.description ?? null,
          parentId: input.parentId ?? null,
          position: input.position ?? 0,
          isActive: input.isActive ?? true,
          commentsEnabledByDefault: input.commentsEnabledByDefault ?? true,
          narration: input.narration ?? null,
        },
        recordEvent('rubric.created', actor),
      );
      events.committed();
      return toRubricResponse(row);
    },

    /** Changes the rubric if it is still at `expectedVersion` (null: whatever its version). */
    async update(id: string, input: UpdateRubricInput, expectedVersion: number | null = null, actor?: Actor): Promise<RubricResponse> {
      const current = await repo.findById(id);
      if (!current) throw new NotFoundError('rubric');
      if (expectedVersion !== null && current.version !== expectedVersion) throw new PreconditionFailedError(toRubricResponse(current));
      await assertParentAllowed(id, input.parentId);
      const slug =
        input.slug !== undefined && input.slug !== current.slug
          ? await resolveSlug({ given: input.slug, source: current.name, isTaken: (s) => repo.isSlugTaken(s, id) })
          : undefined;
      if (
        !(await repo.updateAtVersion(
          id,
          expectedVersion,
          { ...input, ...(slug ? { slug } : {}) },
          recordEvent('rubric.updated', actor, current),
        ))
      )
        await failConditionalWrite(id);
      events.committed();
      const row = await repo.findById(id);
      if (!row) throw new NotFoundError('rubric');
      return toRubricResponse(row);
    },

    /**
     * The id of the rubric of this slug, made (active, under `parentId`) when there is none: what an import
     * names its rubrics by. Two imports making the same rubric at once get the same one (the slug is unique).
     */
    async ensureBySlug(
      wanted: { slug: string; name: string; parentId?: string | null },
      actor?: Actor,
    ): Promise<{ id: string; created: boolean }> {
      const found = await repo.findBySlug(wanted.slug);
      if (found) return { id: found.id, created: false };
      try {
        const created = await service.create({ name: wanted.name, slug: wanted.slug, parentId: wanted.parentId ?? null }, actor);
        return { id: created.id, created: true };
      } catch (error) {
        const code = error instanceof AppError ? error.code : translatePrismaError(error)?.code;
        const winner = code === 'slug_taken' || code === 'already_exists' ? await repo.findBySlug(wanted.slug) : null;
        if (winner) return { id: winner.id, created: false };
        throw error;
      }
    },

    /** Refused with 409 while articles, feed items or sub-rubrics use the rubric. */
    async delete(id: string, expectedVersion: number | null = null, actor?: Actor): Promise<void> {
      if (!(await repo.deleteAtVersion(id, expectedVersion, recordEvent('rubric.deleted', actor)))) await failConditionalWrite(id);
      events.committed();
    },
  };
  return service;
}

export type RubricsService = ReturnType<typeof createRubricsService>;

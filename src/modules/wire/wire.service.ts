import { NotFoundError, PreconditionFailedError, ValidationError, type FieldError } from '../../errors.ts';
import type { PrismaNamespace, PrismaTx } from '../../db/database.ts';
import type { AuditTrail } from '../../shared/audit-intent.ts';
import { decodeCursor, isDateIdKey, toPage, type Page } from '../../shared/cursor.ts';
import type { WireRepository, WireSourceRow } from './wire.repository.ts';
import type { CreateWireSourceInput, UpdateWireSourceInput, WireFormat, WireSourceResponse } from './wire.schemas.ts';

export interface WireServiceDeps {
  repo: WireRepository;
  now: () => Date;
  /** Why a feed's URL is refused (a private address), or null. */
  refusalOf: (url: URL) => Promise<string | null>;
  rubricExists: (id: string) => Promise<boolean>;
  /** Tells the poller that a source is due now. */
  wakePoller: () => void;
  audit: AuditTrail;
}

const defaultPollSeconds = 300;

/** The answer for a source: its credentials never leave the server, only whether it has some. */
function toResponse(row: WireSourceRow): WireSourceResponse {
  return {
    id: row.id,
    name: row.name,
    url: row.url,
    format: row.format as WireFormat,
    pollSeconds: row.pollSeconds,
    rubricId: row.rubricId,
    isActive: row.isActive,
    hasCredentials: row.credentials !== null,
    lastPolledAt: row.lastPolledAt?.toISOString() ?? null,
    lastStatus: (row.lastStatus as WireSourceResponse['lastStatus']) ?? null,
    lastError: row.lastError,
    itemsImported: row.itemsImported,
    consecutiveFailures: row.consecutiveFailures,
    nextPollAt: row.nextPollAt.toISOString(),
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function createWireService(deps: WireServiceDeps) {
  const { repo, now } = deps;
  const audited = (tx: PrismaTx, id: string): Promise<void> => deps.audit.record(tx, { type: 'wire_source', id });

  async function findOrThrow(id: string): Promise<WireSourceRow> {
    const row = await repo.find(id);
    if (!row) throw new NotFoundError('wire source');
    return row;
  }

  async function assertValid(input: { url?: string | undefined; rubricId?: string | null | undefined }): Promise<void> {
    const errors: FieldError[] = [];
    const refusal = input.url ? await deps.refusalOf(new URL(input.url)) : null;
    if (refusal) errors.push({ field: 'body.url', message: `Refused: ${refusal}` });
    if (input.rubricId && !(await deps.rubricExists(input.rubricId)))
      errors.push({ field: 'body.rubricId', message: 'No rubric has this id' });
    if (errors.length)
      throw new ValidationError(`The wire source is not valid: ${errors.length === 1 ? 'one field' : `${errors.length} fields`}.`, errors);
  }

  return {
    async list(limit: number, cursor?: string): Promise<Page<WireSourceResponse>> {
      const key = cursor ? decodeCursor(cursor, isDateIdKey) : undefined;
      return toPage(await repo.list(limit + 1, key), limit, toResponse, (r) => [r.createdAt.toISOString(), r.id]);
    },

    async get(id: string): Promise<WireSourceResponse> {
      return toResponse(await findOrThrow(id));
    },

    /** A new source is polled at once (when active). */
    async create(input: CreateWireSourceInput): Promise<WireSourceResponse> {
      await assertValid(input);
      const row = await repo.create(
        {
          name: input.name,
          url: input.url,
          format: input.format,
          pollSeconds: input.pollSeconds ?? defaultPollSeconds,
          rubricId: input.rubricId ?? null,
          isActive: input.isActive ?? true,
          credentials: (input.credentials ?? null) as PrismaNamespace.InputJsonValue | null,
          at: now(),
        },
        audited,
      );
      deps.wakePoller();
      return toResponse(row);
    },

    async update(id: string, input: UpdateWireSourceInput, expectedVersion: number | null = null): Promise<WireSourceResponse> {
      const current = await findOrThrow(id);
      if (expectedVersion !== null && current.version !== expectedVersion) throw new PreconditionFailedError(toResponse(current));
      await assertValid(input);
      const at = now();
      // Another feed (its address, format or sign-in): the old validators mean nothing to it, and it is polled at once.
      const isAnotherFeed =
        (input.url !== undefined && input.url !== current.url) ||
        (input.format !== undefined && input.format !== current.format) ||
        input.credentials !== undefined;
      const isTurnedOn = input.isActive === true && !current.isActive;
      const isIntervalChanged = input.pollSeconds !== undefined && input.pollSeconds !== current.pollSeconds;
      const { credentials, ...fields } = input;
      const isDone = await repo.updateAtVersion(
        id,
        expectedVersion,
        {
          ...fields,
          ...(credentials !== undefined ? { credentials: credentials as PrismaNamespace.InputJsonValue | null } : {}),
          // A poll of the old feed in flight records nothing: its lease is taken from it.
          ...(isAnotherFeed ? { etag: null, lastModified: null, lockedBy: null, lockedUntil: null } : {}),
          ...(isAnotherFeed || isTurnedOn ? { consecutiveFailures: 0 } : {}),
          ...(isAnotherFeed || isTurnedOn || isIntervalChanged ? { nextPollAt: at } : {}),
          updatedAt: at,
        },
        audited,
      );
      if (!isDone) throw new PreconditionFailedError(toResponse(await findOrThrow(id)));
      deps.wakePoller();
      return toResponse(await findOrThrow(id));
    },

    /** Its articles stay: they are the newsroom's now. */
    async delete(id: string, expectedVersion: number | null = null): Promise<void> {
      if (await repo.deleteAtVersion(id, expectedVersion, audited)) return;
      throw new PreconditionFailedError(toResponse(await findOrThrow(id)));
    },
  };
}

export type WireService = ReturnType<typeof createWireService>;

import type { PrismaTx } from '../../db/database.ts';
import { NotFoundError, PreconditionFailedError } from '../../errors.ts';
import { apiKeyPrefix } from '../../shared/api-key-prefix.ts';
import type { AuditTrail } from '../../shared/audit-intent.ts';
import { scopes as allScopes, userIdOf, type Actor, type Scope } from '../../shared/actor.ts';
import { decodeCursor, isDateIdKey, toPage, type Page } from '../../shared/cursor.ts';
import { hashSecretToken, newSecretToken } from '../../shared/secret-tokens.ts';
import type { ApiKeyRow, ApiKeysRepository } from './api-keys.repository.ts';
import type { ApiKeyResponse, CreateApiKeyInput, CreatedApiKeyResponse, UpdateApiKeyInput } from './api-keys.schemas.ts';

// Writing last-used time on every request would turn each read into a write; once a minute is enough.
const lastUsedResolutionMs = 60_000;

function scopesOf(row: ApiKeyRow): Scope[] {
  return Array.isArray(row.scopes) ? (row.scopes as unknown[]).filter((s): s is Scope => allScopes.includes(s as Scope)) : [];
}

function toApiKeyResponse(row: ApiKeyRow): ApiKeyResponse {
  return {
    id: row.id,
    name: row.name,
    keyPrefix: row.keyPrefix,
    scopes: scopesOf(row),
    createdById: row.createdById,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    version: row.version,
  };
}

export interface ApiKeysServiceDeps {
  repo: ApiKeysRepository;
  now: () => Date;
  /** Writes the request's audit entry in the transaction of each change. */
  audit: AuditTrail;
}

export function createApiKeysService({ repo, now, audit }: ApiKeysServiceDeps) {
  const audited = (tx: PrismaTx, id: string) => audit.record(tx, { type: 'api_key', id });

  async function find(id: string): Promise<ApiKeyRow> {
    const row = await repo.findById(id);
    if (!row) throw new NotFoundError('API key');
    return row;
  }

  // A conditional write that changed nothing: the key is gone (404) or at another version (412).
  async function failConditionalWrite(id: string): Promise<never> {
    throw new PreconditionFailedError(toApiKeyResponse(await find(id)));
  }

  return {
    async list(limit: number, cursor?: string): Promise<Page<ApiKeyResponse>> {
      const key = cursor ? decodeCursor(cursor, isDateIdKey) : undefined;
      return toPage(await repo.list(limit + 1, key), limit, toApiKeyResponse, (r) => [r.createdAt.toISOString(), r.id]);
    },

    async get(id: string): Promise<ApiKeyResponse> {
      return toApiKeyResponse(await find(id));
    },

    async describe(id: string): Promise<{ id: string; name: string; scopes: Scope[] }> {
      const row = await find(id);
      return { id: row.id, name: row.name, scopes: scopesOf(row) };
    },

    /** The secret is returned here once; only its hash is stored. */
    async create(input: CreateApiKeyInput, actor: Actor): Promise<CreatedApiKeyResponse> {
      const key = newSecretToken(apiKeyPrefix);
      const row = await repo.create(
        {
          name: input.name,
          scopes: [...new Set(input.scopes)],
          keyHash: hashSecretToken(key),
          keyPrefix: key.slice(0, apiKeyPrefix.length + 6),
          createdById: userIdOf(actor),
          createdAt: now(),
        },
        audited,
      );
      return { ...toApiKeyResponse(row), key };
    },

    /** Changes the key if it is still at `expectedVersion` (null: whatever its version). */
    async update(id: string, input: UpdateApiKeyInput, expectedVersion: number | null = null): Promise<ApiKeyResponse> {
      const data = { ...input, ...(input.scopes ? { scopes: [...new Set(input.scopes)] } : {}) };
      if (!(await repo.updateAtVersion(id, expectedVersion, data, audited))) await failConditionalWrite(id);
      return toApiKeyResponse(await find(id));
    },

    /** Revoking keeps the record (who had access, until when); the key stops working at once. Revoking twice changes nothing. */
    async revoke(id: string, expectedVersion: number | null = null): Promise<void> {
      if (await repo.revokeAtVersion(id, expectedVersion, now(), audited)) return;
      const row = await find(id);
      if (expectedVersion !== null && row.version !== expectedVersion) throw new PreconditionFailedError(toApiKeyResponse(row));
    },

    async findActor(secret: string): Promise<Actor | null> {
      const row = await repo.findByKeyHash(hashSecretToken(secret));
      if (!row || row.revokedAt) return null;
      const at = now();
      if (!row.lastUsedAt || at.getTime() - row.lastUsedAt.getTime() > lastUsedResolutionMs) {
        await repo.touchLastUsed(row.id, at);
      }
      return { type: 'apiKey', apiKeyId: row.id, scopes: scopesOf(row) };
    },
  };
}

export type ApiKeysService = ReturnType<typeof createApiKeysService>;

import { createHash, randomBytes } from 'node:crypto';
import type { Prisma } from '../../db/database.ts';
import type { ApiKey } from '../../generated/sqlite/client.ts';
import { NotFoundError, PreconditionFailedError } from '../../errors.ts';
import { apiKeyPrefix } from '../../shared/api-key-prefix.ts';
import { scopes as allScopes, userIdOf, type Actor, type Scope } from '../../shared/actor.ts';
import { decodeCursor, isDateIdKey, olderThan, toPage, type Page } from '../../shared/cursor.ts';
import type { ApiKeyResponse, CreateApiKeyInput, CreatedApiKeyResponse, UpdateApiKeyInput } from './api-keys.schemas.ts';

// Keys are 256 random bits, so a fast hash is enough: there is nothing to guess by brute force.
const hashKey = (key: string) => createHash('sha256').update(key).digest('hex');
// Writing last-used time on every request would turn each read into a write; once a minute is enough.
const lastUsedResolutionMs = 60_000;

function scopesOf(row: ApiKey): Scope[] {
  return Array.isArray(row.scopes) ? (row.scopes as unknown[]).filter((s): s is Scope => allScopes.includes(s as Scope)) : [];
}

function toApiKeyResponse(row: ApiKey): ApiKeyResponse {
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

export function createApiKeysService(prisma: Prisma, now: () => Date) {
  async function find(id: string): Promise<ApiKey> {
    const row = await prisma.apiKey.findUnique({ where: { id } });
    if (!row) throw new NotFoundError('API key');
    return row;
  }

  const atVersion = (id: string, expectedVersion: number | null) => ({
    id,
    ...(expectedVersion === null ? {} : { version: expectedVersion }),
  });

  // A conditional write that changed nothing: the key is gone (404) or at another version (412).
  async function failConditionalWrite(id: string): Promise<never> {
    throw new PreconditionFailedError(toApiKeyResponse(await find(id)));
  }

  return {
    async list(limit: number, cursor?: string): Promise<Page<ApiKeyResponse>> {
      const key = cursor ? decodeCursor(cursor, isDateIdKey) : undefined;
      const rows = await prisma.apiKey.findMany({
        where: key ? olderThan('createdAt', key) : {},
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: limit + 1,
      });
      return toPage(rows, limit, toApiKeyResponse, (r) => [r.createdAt.toISOString(), r.id]);
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
      const key = `${apiKeyPrefix}${randomBytes(32).toString('base64url')}`;
      const row = await prisma.apiKey.create({
        data: {
          name: input.name,
          scopes: [...new Set(input.scopes)],
          keyHash: hashKey(key),
          keyPrefix: key.slice(0, apiKeyPrefix.length + 6),
          createdById: userIdOf(actor),
          createdAt: now(),
        },
      });
      return { ...toApiKeyResponse(row), key };
    },

    /** Changes the key if it is still at `expectedVersion` (null: whatever its version). */
    async update(id: string, input: UpdateApiKeyInput, expectedVersion: number | null = null): Promise<ApiKeyResponse> {
      const data = { ...input, ...(input.scopes ? { scopes: [...new Set(input.scopes)] } : {}), version: { increment: 1 } };
      const { count } = await prisma.apiKey.updateMany({ where: atVersion(id, expectedVersion), data });
      if (count === 0) await failConditionalWrite(id);
      return toApiKeyResponse(await find(id));
    },

    /** Revoking keeps the record (who had access, until when); the key stops working at once. Revoking twice changes nothing. */
    async revoke(id: string, expectedVersion: number | null = null): Promise<void> {
      const { count } = await prisma.apiKey.updateMany({
        where: { ...atVersion(id, expectedVersion), revokedAt: null },
        data: { revokedAt: now(), version: { increment: 1 } },
      });
      if (count === 1) return;
      const row = await find(id);
      if (expectedVersion !== null && row.version !== expectedVersion) throw new PreconditionFailedError(toApiKeyResponse(row));
    },

    async findActor(secret: string): Promise<Actor | null> {
      const row = await prisma.apiKey.findUnique({ where: { keyHash: hashKey(secret) } });
      if (!row || row.revokedAt) return null;
      const at = now();
      if (!row.lastUsedAt || at.getTime() - row.lastUsedAt.getTime() > lastUsedResolutionMs) {
        await prisma.apiKey.update({ where: { id: row.id }, data: { lastUsedAt: at } });
      }
      return { type: 'apiKey', apiKeyId: row.id, scopes: scopesOf(row) };
    },
  };
}

export type ApiKeysService = ReturnType<typeof createApiKeysService>;

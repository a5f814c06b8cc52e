import type { Prisma, PrismaTx } from '../../db/database.ts';
import type { ApiKey } from '../../generated/sqlite/client.ts';
import { newestFirst } from '../../shared/newest-first.ts';
import { atVersion } from '../../shared/versioned-write.ts';

export type ApiKeyRow = ApiKey;

/** Runs in the write's transaction (its audit entry): committed with it or not at all. */
export type AfterApiKeyWrite = (tx: PrismaTx, id: string) => Promise<void>;

export function createApiKeysRepository({ prisma }: { prisma: Prisma }) {
  return {
    findById: (id: string): Promise<ApiKeyRow | null> => prisma.apiKey.findUnique({ where: { id } }),

    findByKeyHash: (keyHash: string): Promise<ApiKeyRow | null> => prisma.apiKey.findUnique({ where: { keyHash } }),

    list: (take: number, key?: [string, string]): Promise<ApiKeyRow[]> => prisma.apiKey.findMany(newestFirst(take, key)),

    create: (
      data: Pick<ApiKey, 'name' | 'keyHash' | 'keyPrefix' | 'createdById' | 'createdAt'> & { scopes: string[] },
      then: AfterApiKeyWrite,
    ): Promise<ApiKeyRow> =>
      prisma.$transaction(async (tx) => {
        const row = await tx.apiKey.create({ data });
        await then(tx, row.id);
        return row;
      }),

    /** Changes the key if it is at `expectedVersion` (null: any version), bumping the version; false when it was not. */
    updateAtVersion: (
      id: string,
      expectedVersion: number | null,
      data: { name?: string; scopes?: string[] },
      then: AfterApiKeyWrite,
    ): Promise<boolean> =>
      prisma.$transaction(async (tx) => {
        const { count } = await tx.apiKey.updateMany({
          where: atVersion(id, expectedVersion),
          data: { ...data, version: { increment: 1 } },
        });
        if (count === 1) await then(tx, id);
        return count === 1;
      }),

    /** Revokes the key if it is at `expectedVersion` and not revoked yet; false when it was not. */
    revokeAtVersion: (id: string, expectedVersion: number | null, at: Date, then: AfterApiKeyWrite): Promise<boolean> =>
      prisma.$transaction(async (tx) => {
        const { count } = await tx.apiKey.updateMany({
          where: { ...atVersion(id, expectedVersion), revokedAt: null },
          data: { revokedAt: at, version: { increment: 1 } },
        });
        if (count === 1) await then(tx, id);
        return count === 1;
      }),

    touchLastUsed: (id: string, at: Date) => prisma.apiKey.update({ where: { id }, data: { lastUsedAt: at } }),
  };
}

export type ApiKeysRepository = ReturnType<typeof createApiKeysRepository>;

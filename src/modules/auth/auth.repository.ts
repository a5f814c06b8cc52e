import type { Prisma, PrismaTx } from '../../db/database.ts';
import type { RefreshToken } from '../../generated/sqlite/client.ts';

/** Refresh tokens, stored by hash; a family is the chain of tokens one sign-in rotated through. */
export function createAuthRepository({ prisma }: { prisma: Prisma }) {
  return {
    /** `then` runs in the same transaction (the sign-in's audit event). */
    createRefreshToken: (
      data: Pick<RefreshToken, 'userId' | 'familyId' | 'tokenHash' | 'expiresAt' | 'createdAt'>,
      then?: (tx: PrismaTx) => Promise<void>,
    ) =>
      then
        ? prisma.$transaction(async (tx) => {
            const row = await tx.refreshToken.create({ data });
            await then(tx);
            return row;
          })
        : prisma.refreshToken.create({ data }),

    /** The token with whether its user may still sign in. */
    findRefreshToken: (tokenHash: string) =>
      prisma.refreshToken.findUnique({ where: { tokenHash }, include: { user: { select: { isActive: true } } } }),

    async familyOf(tokenHash: string): Promise<string | null> {
      return (await prisma.refreshToken.findUnique({ where: { tokenHash }, select: { familyId: true } }))?.familyId ?? null;
    },

    hasRevokedMember: async (familyId: string): Promise<boolean> =>
      (await prisma.refreshToken.count({ where: { familyId, revokedAt: { not: null } } })) > 0,

    /** `then` runs in the same transaction (the audit event of a detected reuse). */
    revokeFamily: async (familyId: string, at: Date, then?: (tx: PrismaTx) => Promise<void>): Promise<void> => {
      const revoke = (db: PrismaTx) => db.refreshToken.updateMany({ where: { familyId, revokedAt: null }, data: { revokedAt: at } });
      if (!then) return void (await revoke(prisma));
      await prisma.$transaction(async (tx) => {
        await revoke(tx);
        await then(tx);
      });
    },

    /** In the caller's transaction: every sign-in of the user ends with the change that calls for it. */
    revokeAllOfUser: (tx: PrismaTx, userId: string, at: Date) =>
      tx.refreshToken.updateMany({ where: { userId, revokedAt: null }, data: { revokedAt: at } }),

    /** Marks the token used; false when another call used or revoked it first. */
    markUsed: async (id: string, at: Date): Promise<boolean> =>
      (await prisma.refreshToken.updateMany({ where: { id, usedAt: null, revokedAt: null }, data: { usedAt: at } })).count === 1,
  };
}

export type AuthRepository = ReturnType<typeof createAuthRepository>;

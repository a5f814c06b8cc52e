import type { Prisma, PrismaTx } from '../../db/database.ts';
import type { User } from '../../generated/sqlite/client.ts';
import { publicArticleSql } from '../../shared/article-visibility.ts';
import { newestFirst } from '../../shared/newest-first.ts';
import { liveSessionWhere } from '../../shared/sign-in-sessions.ts';
import { atVersion } from '../../shared/versioned-write.ts';

export type UserRow = User;

/** What a public byline page shows of a user. */
export type PublicAuthorRow = Pick<User, 'id' | 'displayName' | 'slug' | 'bio'> & {
  avatarMedia: { id: string; url: string; altText: string | null } | null;
};

/** The columns a save writes (the rest are the database's). */
type UserData = Pick<User, 'email' | 'passwordHash' | 'displayName' | 'slug' | 'role' | 'bio' | 'avatarMediaId'>;
export type UserChangeData = Partial<UserData & Pick<User, 'isActive'>>;

/** Runs in the write's transaction (signing out, the audit entry): committed with it or not at all. */
export type AfterUserWrite = (tx: PrismaTx, id: string) => Promise<void>;

export function createUsersRepository({ prisma }: { prisma: Prisma }) {
  const otherThan = (exceptId: string | undefined) => (exceptId ? { id: { not: exceptId } } : {});

  return {
    findById: (id: string): Promise<UserRow | null> => prisma.user.findUnique({ where: { id } }),

    /** The e-mail as stored: lower-cased. */
    findByEmail: (email: string): Promise<UserRow | null> => prisma.user.findUnique({ where: { email } }),

    list: (take: number, key?: [string, string]): Promise<UserRow[]> => prisma.user.findMany(newestFirst(take, key)),

    slugsOf: (ids: string[]) => prisma.user.findMany({ where: { id: { in: ids } }, select: { id: true, slug: true } }),

    findBySlug: (slug: string): Promise<UserRow | null> => prisma.user.findUnique({ where: { slug } }),

    isSlugTaken: async (slug: string, exceptId?: string): Promise<boolean> =>
      (await prisma.user.count({ where: { slug, ...otherThan(exceptId) } })) > 0,

    isEmailTaken: async (email: string, exceptId?: string): Promise<boolean> =>
      (await prisma.user.findFirst({ where: { email, ...otherThan(exceptId) }, select: { id: true } })) !== null,

    create: (data: UserData & Partial<Pick<User, 'isActive'>>, then: AfterUserWrite): Promise<UserRow> =>
      prisma.$transaction(async (tx) => {
        const row = await tx.user.create({ data });
        await then(tx, row.id);
        return row;
      }),

    /** Changes the user if it is at `expectedVersion` (null: any version), bumping the version; false when it was not. */
    updateAtVersion: (id: string, expectedVersion: number | null, data: UserChangeData, then: AfterUserWrite): Promise<boolean> =>
      prisma.$transaction(async (tx) => {
        const { count } = await tx.user.updateMany({ where: atVersion(id, expectedVersion), data: { ...data, version: { increment: 1 } } });
        if (count === 1) await then(tx, id);
        return count === 1;
      }),

    deleteAtVersion: (id: string, expectedVersion: number | null, then: AfterUserWrite): Promise<boolean> =>
      prisma.$transaction(async (tx) => {
        const { count } = await tx.user.deleteMany({ where: atVersion(id, expectedVersion) });
        if (count === 1) await then(tx, id);
        return count === 1;
      }),

    /** How many articles the user is an author of, through the user's own relation; null when there is no such user. */
    async authorshipCount(id: string): Promise<number | null> {
      const row = await prisma.user.findUnique({ where: { id }, select: { _count: { select: { authorships: true } } } });
      return row ? row._count.authorships : null;
    },

    /** The role of an active user whose session stands: one query, the session checked in it. */
    findActiveInSession: (id: string, sessionId: string) =>
      prisma.user.findFirst({
        where: { id, isActive: true, refreshTokens: liveSessionWhere(sessionId) },
        select: { id: true, role: true },
      }),

    async existingIds(ids: string[]): Promise<Set<string>> {
      const found = await prisma.user.findMany({ where: { id: { in: ids } }, select: { id: true } });
      return new Set(found.map((u) => u.id));
    },

    count: (): Promise<number> => prisma.user.count(),

    /** An active user with at least one article public at `at`, with the avatar its byline shows: one statement. */
    findPublicAuthor: async (slug: string, at: Date): Promise<PublicAuthorRow | null> => {
      const [row] = await prisma.$queryRaw<
        (Omit<PublicAuthorRow, 'avatarMedia'> & { avatarId: string | null; avatarUrl: string; avatarAltText: string | null })[]
      >`
        SELECT u."id", u."displayName", u."slug", u."bio", m."id" AS "avatarId", m."url" AS "avatarUrl", m."altText" AS "avatarAltText"
        FROM "User" u LEFT JOIN "Media" m ON m."id" = u."avatarMediaId"
        WHERE u."slug" = ${slug} AND u."isActive" = ${true}
          AND EXISTS (SELECT 1 FROM "ArticleAuthor" aa JOIN "Article" a ON a."id" = aa."articleId" WHERE aa."userId" = u."id" AND ${publicArticleSql(at, 'a')})`;
      if (!row) return null;
      const { avatarId, avatarUrl, avatarAltText, ...user } = row;
      return { ...user, avatarMedia: avatarId ? { id: avatarId, url: avatarUrl, altText: avatarAltText } : null };
    },
  };
}

export type UsersRepository = ReturnType<typeof createUsersRepository>;

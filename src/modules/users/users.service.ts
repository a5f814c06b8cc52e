import type { Prisma } from '../../db/database.ts';
import type { User } from '../../generated/sqlite/client.ts';
import { ConflictError, NotFoundError, PreconditionFailedError, ValidationError } from '../../errors.ts';
import type { Actor, Role } from '../../shared/actor.ts';
import { decodeCursor, isDateIdKey, olderThan, toPage, type Page } from '../../shared/cursor.ts';
import { resolveSlug } from '../../shared/slug-check.ts';
import { hashPassword } from '../auth/passwords.ts';
import type { AuthorResponse, CreateUserInput, UpdateUserInput, UserResponse } from './users.schemas.ts';
import { publicArticleWhere } from '../../shared/article-visibility.ts';

export function toUserResponse(row: User): UserResponse {
  return {
    id: row.id,
    email: row.email,
    displayName: row.displayName,
    slug: row.slug,
    bio: row.bio,
    avatarMediaId: row.avatarMediaId,
    role: row.role,
    isActive: row.isActive,
    version: row.version,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

/** What an update changed that the audit log tells beyond field names. */
export interface UserChanges {
  role: { from: Role; to: Role } | null;
}

export function createUsersService(prisma: Prisma, now: () => Date) {
  const atVersion = (id: string, expectedVersion: number | null) => ({
    id,
    ...(expectedVersion === null ? {} : { version: expectedVersion }),
  });

  // A conditional write that changed nothing: the user is gone (404) or at another version (412).
  async function failConditionalWrite(id: string): Promise<never> {
    const row = await prisma.user.findUnique({ where: { id } });
    if (!row) throw new NotFoundError('user');
    throw new PreconditionFailedError(toUserResponse(row));
  }

  const isSlugTaken = async (slug: string, exceptId?: string) =>
    (await prisma.user.count({ where: { slug, ...(exceptId ? { id: { not: exceptId } } : {}) } })) > 0;

  async function assertEmailFree(email: string, exceptId?: string) {
    if (await prisma.user.findFirst({ where: { email, ...(exceptId ? { id: { not: exceptId } } : {}) }, select: { id: true } })) {
      throw new ConflictError('A user with this e-mail exists.', 'email_taken');
    }
  }

  async function assertAvatar(avatarMediaId: string | null | undefined) {
    if (avatarMediaId && !(await prisma.media.findUnique({ where: { id: avatarMediaId }, select: { id: true } }))) {
      throw new ValidationError('The avatar media does not exist.', [{ field: 'body.avatarMediaId', message: 'No media has this id' }]);
    }
  }

  const service = {
    async list(limit: number, cursor?: string): Promise<Page<UserResponse>> {
      const key = cursor ? decodeCursor(cursor, isDateIdKey) : undefined;
      const rows = await prisma.user.findMany({
        where: key ? olderThan('createdAt', key) : {},
        orderBy: [{ createdAt: 'desc' }, { id: 'desc' }],
        take: limit + 1,
      });
      return toPage(rows, limit, toUserResponse, (r) => [r.createdAt.toISOString(), r.id]);
    },

    async get(id: string): Promise<UserResponse> {
      const row = await prisma.user.findUnique({ where: { id } });
      if (!row) throw new NotFoundError('user');
      return toUserResponse(row);
    },

    async create(input: CreateUserInput): Promise<UserResponse> {
      // Sign-in looks e-mails up lower-cased; start-up and tests call this without the HTTP schema.
      const email = input.email.toLowerCase();
      await assertEmailFree(email);
      await assertAvatar(input.avatarMediaId);
      const slug = await resolveSlug({ given: input.slug, source: input.displayName, isTaken: (s) => isSlugTaken(s) });
      const row = await prisma.user.create({
        data: {
          email,
          passwordHash: await hashPassword(input.password),
          displayName: input.displayName,
          slug,
          role: input.role,
          bio: input.bio ?? null,
          avatarMediaId: input.avatarMediaId ?? null,
        },
      });
      return toUserResponse(row);
    },

    async update(id: string, input: UpdateUserInput, actor: Actor, expectedVersion: number | null = null): Promise<UserResponse> {
      return (await service.updateWithChanges(id, input, actor, expectedVersion)).user;
    },

    /** Changes the user if still at `expectedVersion` (null: whatever its version), and tells what changed. */
    async updateWithChanges(
      id: string,
      input: UpdateUserInput,
      actor: Actor,
      expectedVersion: number | null = null,
    ): Promise<{ user: UserResponse; changes: UserChanges }> {
      const current = await prisma.user.findUnique({ where: { id } });
      if (!current) throw new NotFoundError('user');
      if (expectedVersion !== null && current.version !== expectedVersion) throw new PreconditionFailedError(toUserResponse(current));
      if (actor.type === 'user' && actor.userId === id && ((input.role && input.role !== 'admin') || input.isActive === false)) {
        throw new ConflictError('An admin cannot demote or disable their own account; ask another admin.', 'self_lockout');
      }
      const email = input.email?.toLowerCase();
      if (email) await assertEmailFree(email, id);
      await assertAvatar(input.avatarMediaId);
      const slug =
        input.slug !== undefined && input.slug !== current.slug
          ? await resolveSlug({ given: input.slug, source: current.displayName, isTaken: (s) => isSlugTaken(s, id) })
          : undefined;
      const { password, ...rest } = input;
      const passwordHash = password ? await hashPassword(password) : undefined;
      const isUpdated = await prisma.$transaction(async (tx) => {
        const { count } = await tx.user.updateMany({
          where: atVersion(id, expectedVersion),
          data: {
            ...rest,
            ...(email ? { email } : {}),
            ...(slug ? { slug } : {}),
            ...(passwordHash ? { passwordHash } : {}),
            version: { increment: 1 },
          },
        });
        // A new password or a disabled account signs the user out everywhere.
        if (count === 1 && (password || input.isActive === false))
          await tx.refreshToken.updateMany({ where: { userId: id, revokedAt: null }, data: { revokedAt: now() } });
        return count === 1;
      });
      if (!isUpdated) await failConditionalWrite(id);
      const row = await prisma.user.findUnique({ where: { id } });
      if (!row) throw new NotFoundError('user');
      return { user: toUserResponse(row), changes: { role: row.role !== current.role ? { from: current.role, to: row.role } : null } };
    },

    /** Refused with 409 while the user is an author of articles: disable the account instead. */
    async delete(id: string, actor: Actor, expectedVersion: number | null = null): Promise<void> {
      if (actor.type === 'user' && actor.userId === id)
        throw new ConflictError('An admin cannot delete their own account.', 'self_lockout');
      if (!(await prisma.user.findUnique({ where: { id }, select: { id: true } }))) throw new NotFoundError('user');
      if (await prisma.articleAuthor.count({ where: { userId: id } })) {
        throw new ConflictError('The user is an author of articles; disable the account (isActive: false) instead.', 'still_referenced');
      }
      const { count } = await prisma.user.deleteMany({ where: atVersion(id, expectedVersion) });
      if (count === 0) await failConditionalWrite(id);
    },

    /** The actor for an active user (one query per authenticated request, so role changes apply at once). */
    async findActor(userId: string): Promise<Actor | null> {
      const row = await prisma.user.findUnique({ where: { id: userId }, select: { id: true, role: true, isActive: true } });
      return row?.isActive ? { type: 'user', userId: row.id, role: row.role } : null;
    },

    async findByEmail(email: string): Promise<User | null> {
      return prisma.user.findUnique({ where: { email: email.toLowerCase() } });
    },

    /** Ids among the given that are not users, for validating bylines. */
    async missingIds(ids: string[]): Promise<string[]> {
      const found = await prisma.user.findMany({ where: { id: { in: ids } }, select: { id: true } });
      const known = new Set(found.map((u) => u.id));
      return ids.filter((id) => !known.has(id));
    },

    async countUsers(): Promise<number> {
      return prisma.user.count();
    },

    /** A public byline page: only for people who have at least one public article. */
    async getAuthor(slug: string): Promise<AuthorResponse> {
      const row = await prisma.user.findFirst({
        where: { slug, isActive: true, authorships: { some: { article: publicArticleWhere(now()) } } },
        include: { avatarMedia: { select: { id: true, url: true, altText: true } } },
      });
      if (!row) throw new NotFoundError('author');
      return { id: row.id, displayName: row.displayName, slug: row.slug, bio: row.bio, avatar: row.avatarMedia };
    },
  };
  return service;
}

export type UsersService = ReturnType<typeof createUsersService>;

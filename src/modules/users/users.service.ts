import type { PrismaTx } from '../../db/database.ts';
import { translatePrismaError } from '../../db/prisma-errors.ts';
import { ConflictError, NotFoundError, PreconditionFailedError, ValidationError } from '../../errors.ts';
import type { Actor, Role } from '../../shared/actor.ts';
import type { AuditTrail } from '../../shared/audit-intent.ts';
import { keysOfFilterRecordChange, notePurge } from '../../shared/cache-keys.ts';
import { decodeCursor, isDateIdKey, toPage, type Page } from '../../shared/cursor.ts';
import type { PasswordHasher } from '../../shared/passwords.ts';
import { resolveSlug } from '../../shared/slug-check.ts';
import type { MediaService } from '../media/index.ts';
import type { UserRow, UsersRepository } from './users.repository.ts';
import type { AuthorResponse, CreateUserInput, UpdateUserInput, UserResponse } from './users.schemas.ts';

/** Not a hash of any password: an account with it cannot sign in until an admin sets a password. */
export const unusablePasswordHash = '!';

export function toUserResponse(row: UserRow): UserResponse {
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

export interface UsersServiceDeps {
  repo: UsersRepository;
  now: () => Date;
  /** Avatars are media: the media module tells whether one exists. */
  media: Pick<MediaService, 'exists'>;
  /**
   * Signs the user out everywhere (ends their sessions: refresh and access tokens) in the transaction of the
   * change that calls for it. Sign-ins belong to auth, which reads users, so it comes in from the composition root.
   */
  revokeSignIns: (tx: PrismaTx, userId: string) => Promise<void>;
  /** Hashes new passwords, a few at a time. */
  passwords: Pick<PasswordHasher, 'hash'>;
  /** Writes the request's audit entry in the transaction of each change. */
  audit: AuditTrail;
}

export function createUsersService({ repo, now, media, revokeSignIns, passwords, audit }: UsersServiceDeps) {
  const audited = (tx: PrismaTx, id: string, details?: Record<string, unknown>) => audit.record(tx, { type: 'user', id }, details);

  async function findOrThrow(id: string): Promise<UserRow> {
    const row = await repo.findById(id);
    if (!row) throw new NotFoundError('user');
    return row;
  }

  // A conditional write that changed nothing: the user is gone (404) or at another version (412).
  async function failConditionalWrite(id: string): Promise<never> {
    throw new PreconditionFailedError(toUserResponse(await findOrThrow(id)));
  }

  async function assertEmailFree(email: string, exceptId?: string) {
    if (await repo.isEmailTaken(email, exceptId)) throw new ConflictError('A user with this e-mail exists.', 'email_taken');
  }

  async function assertAvatar(avatarMediaId: string | null | undefined) {
    if (avatarMediaId && !(await media.exists(avatarMediaId))) {
      throw new ValidationError('The avatar media does not exist.', [{ field: 'body.avatarMediaId', message: 'No media has this id' }]);
    }
  }

  const service = {
    async list(limit: number, cursor?: string): Promise<Page<UserResponse>> {
      const key = cursor ? decodeCursor(cursor, isDateIdKey) : undefined;
      return toPage(await repo.list(limit + 1, key), limit, toUserResponse, (r) => [r.createdAt.toISOString(), r.id]);
    },

    async get(id: string): Promise<UserResponse> {
      return toUserResponse(await findOrThrow(id));
    },

    async create(input: CreateUserInput): Promise<UserResponse> {
      // Sign-in looks e-mails up lower-cased; start-up and tests call this without the HTTP schema.
      const email = input.email.toLowerCase();
      await assertEmailFree(email);
      await assertAvatar(input.avatarMediaId);
      const slug = await resolveSlug({ given: input.slug, source: input.displayName, isTaken: (s) => repo.isSlugTaken(s) });
      const row = await repo.create(
        {
          email,
          passwordHash: await passwords.hash(input.password),
          displayName: input.displayName,
          slug,
          role: input.role,
          bio: input.bio ?? null,
          avatarMediaId: input.avatarMediaId ?? null,
        },
        audited,
      );
      notePurge(keysOfFilterRecordChange('user', row.id, [row.slug]));
      return toUserResponse(row);
    },

    /**
     * The id of the user of this e-mail (or, without one, this slug), made when there is none as a disabled
     * author account that cannot sign in (its password hash matches no password): an imported byline.
     * Two imports making the same author at once get the same one (e-mail and slug are unique).
     */
    async ensureAuthor(wanted: { slug: string; displayName: string; email?: string | null }): Promise<{ id: string; created: boolean }> {
      const email = wanted.email?.toLowerCase() ?? null;
      const find = async () => (email ? await repo.findByEmail(email) : null) ?? (await repo.findBySlug(wanted.slug));
      const found = await find();
      if (found) return { id: found.id, created: false };
      try {
        const row = await repo.create(
          {
            // An author with no known address gets one that can never receive mail (RFC 2606's .invalid).
            email: email ?? `${wanted.slug}@authors.invalid`,
            passwordHash: unusablePasswordHash,
            displayName: wanted.displayName,
            slug: wanted.slug,
            role: 'author',
            bio: null,
            avatarMediaId: null,
            isActive: false,
          },
          audited,
        );
        notePurge(keysOfFilterRecordChange('user', row.id, [row.slug]));
        return { id: row.id, created: true };
      } catch (error) {
        const winner = translatePrismaError(error)?.code === 'already_exists' ? await find() : null;
        if (winner) return { id: winner.id, created: false };
        throw error;
      }
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
      const current = await findOrThrow(id);
      if (expectedVersion !== null && current.version !== expectedVersion) throw new PreconditionFailedError(toUserResponse(current));
      if (actor.type === 'user' && actor.userId === id && ((input.role && input.role !== 'admin') || input.isActive === false)) {
        throw new ConflictError('An admin cannot demote or disable their own account; ask another admin.', 'self_lockout');
      }
      const email = input.email?.toLowerCase();
      if (email) await assertEmailFree(email, id);
      await assertAvatar(input.avatarMediaId);
      const slug =
        input.slug !== undefined && input.slug !== current.slug
          ? await resolveSlug({ given: input.slug, source: current.displayName, isTaken: (s) => repo.isSlugTaken(s, id) })
          : undefined;
      const { password, ...rest } = input;
      const passwordHash = password ? await passwords.hash(password) : undefined;
      const data = { ...rest, ...(email ? { email } : {}), ...(slug ? { slug } : {}), ...(passwordHash ? { passwordHash } : {}) };
      // A new password, a new role or a disabled account signs the user out everywhere, access tokens included.
      const signsOut = Boolean(password) || input.isActive === false || (input.role !== undefined && input.role !== current.role);
      const role = input.role !== undefined && input.role !== current.role ? { from: current.role, to: input.role } : null;
      const isUpdated = await repo.updateAtVersion(id, expectedVersion, data, async (tx) => {
        if (signsOut) await revokeSignIns(tx, id);
        await audited(tx, id, role ? { role } : undefined);
      });
      if (!isUpdated) await failConditionalWrite(id);
      const row = await findOrThrow(id);
      notePurge(keysOfFilterRecordChange('user', id, [current.slug, row.slug]));
      return { user: toUserResponse(row), changes: { role: row.role !== current.role ? { from: current.role, to: row.role } : null } };
    },

    /** Refused with 409 while the user is an author of articles: disable the account instead. */
    async delete(id: string, actor: Actor, expectedVersion: number | null = null): Promise<void> {
      if (actor.type === 'user' && actor.userId === id)
        throw new ConflictError('An admin cannot delete their own account.', 'self_lockout');
      const authorships = await repo.authorshipCount(id);
      if (authorships === null) throw new NotFoundError('user');
      if (authorships > 0) {
        throw new ConflictError('The user is an author of articles; disable the account (isActive: false) instead.', 'still_referenced');
      }
      if (!(await repo.deleteAtVersion(id, expectedVersion, audited))) await failConditionalWrite(id);
      // Nobody's byline: no article list is filtered by them.
      notePurge(keysOfFilterRecordChange('user', id, []));
    },

    /**
     * The actor for an active user in a session that stands (one query per authenticated request, so a
     * revoked session, a disabled account or a new role applies at once, on every instance).
     */
    async findActor(userId: string, sessionId: string): Promise<Actor | null> {
      const row = await repo.findActiveInSession(userId, sessionId);
      return row ? { type: 'user', userId: row.id, role: row.role } : null;
    },

    /** The whole row, password hash included: for signing in, never for a response. */
    async findByEmail(email: string): Promise<UserRow | null> {
      return repo.findByEmail(email.toLowerCase());
    },

    /** The slugs of the given users, by id (the lists of an author's articles are keyed by slug). */
    async slugsOf(ids: readonly string[]): Promise<Map<string, string>> {
      if (!ids.length) return new Map();
      return new Map((await repo.slugsOf([...new Set(ids)])).map((row) => [row.id, row.slug]));
    },

    /** Ids among the given that are not users, for validating bylines. */
    async missingIds(ids: string[]): Promise<string[]> {
      const known = await repo.existingIds(ids);
      return ids.filter((id) => !known.has(id));
    },

    async countUsers(): Promise<number> {
      return repo.count();
    },

    /** A public byline page: only for people who have at least one public article. */
    async getAuthor(slug: string): Promise<AuthorResponse> {
      const row = await repo.findPublicAuthor(slug, now());
      if (!row) throw new NotFoundError('author');
      return { id: row.id, displayName: row.displayName, slug: row.slug, bio: row.bio, avatar: row.avatarMedia };
    },
  };
  return service;
}

export type UsersService = ReturnType<typeof createUsersService>;

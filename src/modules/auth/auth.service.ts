import { randomUUID } from 'node:crypto';
import type { PrismaTx } from '../../db/database.ts';
import { UnauthorizedError } from '../../errors.ts';
import type { Actor } from '../../shared/actor.ts';
import type { PasswordHasher } from '../../shared/passwords.ts';
import { hashSecretToken, newSecretToken } from '../../shared/secret-tokens.ts';
import type { ApiKeysService } from '../api-keys/index.ts';
import type { AuditService } from '../audit/index.ts';
import type { UsersService } from '../users/index.ts';
import type { AuthRepository } from './auth.repository.ts';
import type { MeResponse, TokenPair } from './auth.schemas.ts';
import type { AccessTokens } from './tokens.ts';

/** The request a call comes from, for the audit log. */
export interface RequestInfo {
  requestId?: string;
}

export interface AuthServiceDeps {
  repo: AuthRepository;
  users: Pick<UsersService, 'findByEmail' | 'get'>;
  apiKeys: Pick<ApiKeysService, 'describe'>;
  tokens: AccessTokens;
  refreshTtlSeconds: number;
  now: () => Date;
  /** Sign-ins and refresh-token reuse; `recordIn` writes the event in the transaction of the change it records. */
  audit: Pick<AuditService, 'record' | 'recordIn'>;
  /** Checks passwords, a few at a time. */
  passwords: Pick<PasswordHasher, 'verify' | 'unknownUserHash'>;
}

export function createAuthService(deps: AuthServiceDeps) {
  const { repo, tokens, now, audit } = deps;

  // `then` runs in the transaction that stores the refresh token (a sign-in's audit event).
  async function issuePair(userId: string, familyId: string, then?: (tx: PrismaTx) => Promise<void>): Promise<TokenPair> {
    const refreshToken = newSecretToken('nr_');
    await repo.createRefreshToken(
      {
        userId,
        familyId,
        tokenHash: hashSecretToken(refreshToken),
        expiresAt: new Date(now().getTime() + deps.refreshTtlSeconds * 1000),
        createdAt: now(),
      },
      then,
    );
    return { accessToken: tokens.sign(userId, familyId), refreshToken, expiresIn: tokens.ttlSeconds, tokenType: 'Bearer' };
  }

  /**
   * A new session (sign-in) for a user who has proven who they are: a refresh-token family, whose id the
   * access tokens carry as `sid`, and its first token pair.
   */
  async function startSession(userId: string, then?: (tx: PrismaTx) => Promise<void>): Promise<{ sessionId: string; pair: TokenPair }> {
    const sessionId = randomUUID();
    return { sessionId, pair: await issuePair(userId, sessionId, then) };
  }

  return {
    startSession,

    async login(email: string, password: string, request: RequestInfo = {}): Promise<TokenPair> {
      const user = await deps.users.findByEmail(email);
      // Check a password either way, so an unknown e-mail takes as long as a wrong password.
      const isValid = await deps.passwords.verify(password, user?.passwordHash ?? (await deps.passwords.unknownUserHash()));
      if (!user || !isValid || !user.isActive) {
        // The e-mail as typed (never the password) shows who is being guessed at.
        await audit.record({
          actor: 'anonymous',
          action: 'auth.login_failed',
          targetType: 'user',
          targetId: user?.id ?? null,
          requestId: request.requestId,
          details: { email: email.slice(0, 254) },
        });
        throw new UnauthorizedError('The e-mail or password is wrong.');
      }
      // The session and its audit event commit together.
      const { pair } = await startSession(user.id, (tx) =>
        audit.recordIn(tx, {
          actor: `user:${user.id}`,
          action: 'auth.login',
          targetType: 'user',
          targetId: user.id,
          requestId: request.requestId,
        }),
      );
      return pair;
    },

    /**
     * Rotates a refresh token: each is good for one use. A token used a second time means it was
     * stolen (or a client raced itself), so its whole family is revoked and the caller signs in again.
     */
    async refresh(refreshToken: string, request: RequestInfo = {}): Promise<TokenPair> {
      const stored = await repo.findRefreshToken(hashSecretToken(refreshToken));
      if (!stored) throw new UnauthorizedError('The refresh token is not valid.');
      const revokeFamily = () => repo.revokeFamily(stored.familyId, now());
      // A family is revoked as a whole, so one revoked member revokes it: this also catches a token that a
      // concurrent rotation minted just after the family was revoked.
      const isFamilyRevoked = stored.revokedAt !== null || (await repo.hasRevokedMember(stored.familyId));
      if (isFamilyRevoked) {
        await revokeFamily();
        throw new UnauthorizedError('The refresh token has been revoked; sign in again.');
      }
      // Whoever presents a used token is not known (it may be a thief), so the actor is anonymous.
      const revokeFamilyForReuse = () =>
        repo.revokeFamily(stored.familyId, now(), (tx) =>
          audit.recordIn(tx, {
            actor: 'anonymous',
            action: 'auth.refresh_reuse_detected',
            targetType: 'user',
            targetId: stored.userId,
            requestId: request.requestId,
            details: { familyId: stored.familyId },
          }),
        );
      if (stored.usedAt) {
        await revokeFamilyForReuse();
        throw new UnauthorizedError('The refresh token was already used; every token of this sign-in is now revoked. Sign in again.');
      }
      if (stored.expiresAt <= now() || !stored.user.isActive) throw new UnauthorizedError('The refresh token has expired; sign in again.');
      // Only one of two concurrent refreshes with the same token can mark it used.
      if (!(await repo.markUsed(stored.id, now()))) {
        await revokeFamilyForReuse();
        throw new UnauthorizedError('The refresh token was already used; every token of this sign-in is now revoked. Sign in again.');
      }
      return issuePair(stored.userId, stored.familyId);
    },

    /** Ends the sign-in the refresh token belongs to, its access tokens included; unknown tokens are accepted silently. */
    async logout(refreshToken: string): Promise<void> {
      const familyId = await repo.familyOf(hashSecretToken(refreshToken));
      if (familyId) await repo.revokeFamily(familyId, now());
    },

    /**
     * Ends every sign-in of the user, access tokens included, in the transaction of the change that calls for it
     * (a new password, a new role, a disabled account).
     */
    async revokeSignInsOf(tx: PrismaTx, userId: string): Promise<void> {
      await repo.revokeAllOfUser(tx, userId, now());
    },

    /** Who the credentials belong to: the user, or the API key (never its secret). */
    async me(actor: Actor): Promise<MeResponse> {
      if (actor.type === 'user') return { type: 'user', user: await deps.users.get(actor.userId) };
      // A system actor (the wire poller) never calls the API.
      if (actor.type === 'system') throw new Error(`${actor.name} has no credentials of the API`);
      return { type: 'apiKey', apiKey: await deps.apiKeys.describe(actor.apiKeyId) };
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;

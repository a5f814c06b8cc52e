import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { Prisma } from '../../db/database.ts';
import { UnauthorizedError } from '../../errors.ts';
import type { AuditService } from '../audit/index.ts';
import type { UsersService } from '../users/users.service.ts';
import { unknownUserHash, verifyPassword } from './passwords.ts';
import type { TokenPair } from './auth.schemas.ts';
import type { AccessTokens } from './tokens.ts';

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** The request a call comes from, for the audit log. */
export interface RequestInfo {
  requestId?: string;
}

export function createAuthService(deps: {
  prisma: Prisma;
  users: UsersService;
  tokens: AccessTokens;
  refreshTtlSeconds: number;
  now: () => Date;
  audit: AuditService;
}) {
  const { prisma, tokens, now, audit } = deps;

  async function issuePair(userId: string, familyId: string): Promise<TokenPair> {
    const refreshToken = `nr_${randomBytes(32).toString('base64url')}`;
    await prisma.refreshToken.create({
      data: {
        userId,
        familyId,
        tokenHash: hashToken(refreshToken),
        expiresAt: new Date(now().getTime() + deps.refreshTtlSeconds * 1000),
        createdAt: now(),
      },
    });
    return { accessToken: tokens.sign(userId), refreshToken, expiresIn: tokens.ttlSeconds, tokenType: 'Bearer' };
  }

  return {
    async login(email: string, password: string, request: RequestInfo = {}): Promise<TokenPair> {
      const user = await deps.users.findByEmail(email);
      // Check a password either way, so an unknown e-mail takes as long as a wrong password.
      const isValid = await verifyPassword(password, user?.passwordHash ?? (await unknownUserHash));
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
      const pair = await issuePair(user.id, randomUUID());
      await audit.record({
        actor: `user:${user.id}`,
        action: 'auth.login',
        targetType: 'user',
        targetId: user.id,
        requestId: request.requestId,
      });
      return pair;
    },

    /**
     * Rotates a refresh token: each is good for one use. A token used a second time means it was
     * stolen (or a client raced itself), so its whole family is revoked and the caller signs in again.
     */
    async refresh(refreshToken: string, request: RequestInfo = {}): Promise<TokenPair> {
      const stored = await prisma.refreshToken.findUnique({
        where: { tokenHash: hashToken(refreshToken) },
        include: { user: { select: { isActive: true } } },
      });
      if (!stored) throw new UnauthorizedError('The refresh token is not valid.');
      const revokeFamily = () =>
        prisma.refreshToken.updateMany({ where: { familyId: stored.familyId, revokedAt: null }, data: { revokedAt: now() } });
      // A family is revoked as a whole, so one revoked member revokes it: this also catches a token that a
      // concurrent rotation minted just after the family was revoked.
      const isFamilyRevoked =
        stored.revokedAt !== null ||
        (await prisma.refreshToken.count({ where: { familyId: stored.familyId, revokedAt: { not: null } } })) > 0;
      if (isFamilyRevoked) {
        await revokeFamily();
        throw new UnauthorizedError('The refresh token has been revoked; sign in again.');
      }
      // Whoever presents a used token is not known (it may be a thief), so the actor is anonymous.
      const revokeFamilyForReuse = async () => {
        await revokeFamily();
        await audit.record({
          actor: 'anonymous',
          action: 'auth.refresh_reuse_detected',
          targetType: 'user',
          targetId: stored.userId,
          requestId: request.requestId,
          details: { familyId: stored.familyId },
        });
      };
      if (stored.usedAt) {
        await revokeFamilyForReuse();
        throw new UnauthorizedError('The refresh token was already used; every token of this sign-in is now revoked. Sign in again.');
      }
      if (stored.expiresAt <= now() || !stored.user.isActive) throw new UnauthorizedError('The refresh token has expired; sign in again.');
      // Only one of two concurrent refreshes with the same token can mark it used.
      const { count } = await prisma.refreshToken.updateMany({
        where: { id: stored.id, usedAt: null, revokedAt: null },
        data: { usedAt: now() },
      });
      if (count !== 1) {
        await revokeFamilyForReuse();
        throw new UnauthorizedError('The refresh token was already used; every token of this sign-in is now revoked. Sign in again.');
      }
      return issuePair(stored.userId, stored.familyId);
    },

    /** Ends the sign-in the refresh token belongs to; unknown tokens are accepted silently. */
    async logout(refreshToken: string): Promise<void> {
      const stored = await prisma.refreshToken.findUnique({ where: { tokenHash: hashToken(refreshToken) }, select: { familyId: true } });
      if (stored)
        await prisma.refreshToken.updateMany({ where: { familyId: stored.familyId, revokedAt: null }, data: { revokedAt: now() } });
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;

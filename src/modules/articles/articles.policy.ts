import type { PrismaNamespace } from '../../db/database.ts';
import type { ArticleStatus } from '../../generated/sqlite/client.ts';
import { ForbiddenError } from '../../errors.ts';
import { isRole, type Actor } from '../../shared/actor.ts';

/** Which articles the caller may see at all: an author only those they are an author of; others are 404 to them. */
export function visibleTo(actor: Actor): PrismaNamespace.ArticleWhereInput {
  return actor.type === 'user' && actor.role === 'author' ? { authors: { some: { userId: actor.userId } } } : {};
}

/** An author may change or delete only their own drafts (visibleTo already hides others' articles). */
export function assertMayChange(actor: Actor, article: { status: ArticleStatus }, doing: string): void {
  if (isRole(actor, 'author') && article.status !== 'draft') {
    throw new ForbiddenError(`An author may ${doing} only drafts; this article is ${article.status.replace('_', ' ')}, ask an editor.`);
  }
}

/**
 * The byline when none is given: the writer themselves for an author or an editor writing a piece;
 * admins and newsroom tools (API keys) enter articles for others, so they start with no byline.
 */
export function defaultAuthorIds(actor: Actor): string[] {
  return actor.type === 'user' && (actor.role === 'author' || actor.role === 'editor') ? [actor.userId] : [];
}

/** An author must stay on the byline of what they write, or they would lose sight of it. */
export function mustStayOnByline(actor: Actor): string | null {
  return actor.type === 'user' && actor.role === 'author' ? actor.userId : null;
}

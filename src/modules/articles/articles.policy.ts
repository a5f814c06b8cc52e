import type { PrismaNamespace } from '../../db/database.ts';
import type { ArticleStatus } from '../../generated/sqlite/client.ts';
import { ConflictError, ForbiddenError } from '../../errors.ts';
import { isRole, type Actor } from '../../shared/actor.ts';

/** Which articles the caller may see at all: an author only those they are an author of; others are 404 to them. */
export function visibleTo(actor: Actor): PrismaNamespace.ArticleWhereInput {
  return actor.type === 'user' && actor.role === 'author' ? { authors: { some: { userId: actor.userId } } } : {};
}

/** What the public sees now, or will at its time with nobody acting again: published and scheduled articles out of the trash. */
const publicFacingStatuses: readonly ArticleStatus[] = ['published', 'scheduled'];

/** Editors and admins, and API keys with the `publish` (or `admin`) scope, may change what the public sees. */
export function mayChangeWhatThePublicSees(actor: Actor): boolean {
  return actor.type === 'user' ? actor.role !== 'author' : actor.scopes.includes('publish') || actor.scopes.includes('admin');
}

/**
 * An author may change or delete only their own drafts (visibleTo already hides others' articles). A change
 * to a published or scheduled article reaches the public without another step, so it takes the right to
 * publish: a `write` key edits drafts, not the public text.
 */
export function assertMayChange(actor: Actor, article: { status: ArticleStatus; deletedAt?: Date | null }, doing: string): void {
  const status = article.status.replace('_', ' ');
  if (isRole(actor, 'author') && article.status !== 'draft') {
    throw new ForbiddenError(`An author may ${doing} only drafts; this article is ${status}, ask an editor.`);
  }
  if (!mayChangeWhatThePublicSees(actor) && publicFacingStatuses.includes(article.status) && !article.deletedAt) {
    throw new ForbiddenError(`This article is ${status}: to ${doing} it, an API key needs the "publish" scope.`);
  }
}

/** What a change checked by assertMayChange must still find when it writes, so a publish in between cannot slip it through. */
export function stillChangeableBy(actor: Actor): PrismaNamespace.ArticleWhereInput {
  if (isRole(actor, 'author')) return { status: 'draft' };
  return mayChangeWhatThePublicSees(actor) ? {} : { status: { notIn: [...publicFacingStatuses] } };
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

/** The workflow actions of the management API, each an explicit POST. */
export type WorkflowAction = 'submit' | 'reject' | 'publish' | 'unpublish' | 'archive';

/**
 * The states each action may start from. Who may take it is the route's access rule (an author only
 * submits); where it leads is the service's business (publish goes to scheduled for a future time).
 */
const startsFrom: Record<WorkflowAction, readonly ArticleStatus[]> = {
  submit: ['draft'],
  reject: ['in_review'],
  publish: ['draft', 'in_review', 'scheduled', 'archived'],
  unpublish: ['published', 'scheduled', 'archived'],
  archive: ['published'],
};

export function allowedActions(status: ArticleStatus): WorkflowAction[] {
  return (Object.keys(startsFrom) as WorkflowAction[]).filter((action) => startsFrom[action].includes(status));
}

export function statusesAllowing(action: WorkflowAction): ArticleStatus[] {
  return [...startsFrom[action]];
}

/** 409 when the action cannot start from the article's state, naming the actions that can. */
export function assertTransition(action: WorkflowAction, status: ArticleStatus): void {
  if (startsFrom[action].includes(status)) return;
  const allowed = allowedActions(status);
  throw new ConflictError(
    `An article that is ${status.replace('_', ' ')} cannot be ${pastTense[action]}; ${allowed.length ? `allowed now: ${allowed.join(', ')}` : 'no action is allowed now'}.`,
    'invalid_transition',
    { articleStatus: status, allowedActions: allowed },
  );
}

const pastTense: Record<WorkflowAction, string> = {
  submit: 'submitted for review',
  reject: 'sent back',
  publish: 'published',
  unpublish: 'unpublished',
  archive: 'archived',
};

import { createAdminReadOperations } from './articles.admin-reads.ts';
import { createArticleContext, type ArticlesDeps } from './articles.context.ts';
import { createCorrectionOperations } from './articles.corrections.ts';
import { createPublicReadOperations } from './articles.public-reads.ts';
import { createWorkflowOperations } from './articles.workflow.ts';
import { createWriteOperations } from './articles.writes.ts';

export type { ArticlesDeps } from './articles.context.ts';
export type { PublicArticleLink, PublicArticleLookup } from './articles.public-reads.ts';

/**
 * The articles use cases, one family a file: the newsroom's reads (articles.admin-reads.ts), its saves
 * (articles.writes.ts), the workflow and the trash (articles.workflow.ts), and what the public sees
 * (articles.public-reads.ts), all over one context of the checks and records they share.
 */
export function createArticlesService(deps: ArticlesDeps) {
  const ctx = createArticleContext(deps);
  return {
    ...createAdminReadOperations(ctx),
    ...createWriteOperations(ctx),
    ...createWorkflowOperations(ctx),
    ...createPublicReadOperations(ctx),
    ...createCorrectionOperations(ctx),
    publicKeysOf: ctx.publicKeysOf,
  };
}

export type ArticlesService = ReturnType<typeof createArticlesService>;

import { createAdminReadOperations } from './articles.admin-reads.ts';
import { createArticleContext, type ArticlesDeps } from './articles.context.ts';
import { createCorrectionOperations } from './articles.corrections.ts';
import { createImportOperations } from './articles.imports.ts';
import { createPathRedirectOperations } from './articles.path-redirects.ts';
import { createPublicReadOperations } from './articles.public-reads.ts';
import { createWorkflowOperations } from './articles.workflow.ts';
import { createWriteOperations } from './articles.writes.ts';

export type { ArticlesDeps } from './articles.context.ts';
export type { PublicArticleLink, PublicArticleLookup } from './articles.public-reads.ts';

/**
 * The articles use cases, one family a file: the newsroom's reads (articles.admin-reads.ts), its saves
 * (articles.writes.ts), the workflow and the trash (articles.workflow.ts), and what the public sees
 * (articles.public-reads.ts), foreign articles stored by their source (articles.imports.ts), all over one context of the checks and records they share.
 */
export function createArticlesService(deps: ArticlesDeps) {
  const ctx = createArticleContext(deps);
  const writes = createWriteOperations(ctx);
  const workflow = createWorkflowOperations(ctx);
  return {
    ...createAdminReadOperations(ctx),
    ...writes,
    ...workflow,
    ...createImportOperations(ctx, { writes, workflow }),
    ...createPathRedirectOperations(ctx),
    ...createPublicReadOperations(ctx),
    ...createCorrectionOperations(ctx),
    publicKeysOf: ctx.publicKeysOf,
  };
}

export type ArticlesService = ReturnType<typeof createArticlesService>;

import { publicArticleWhere } from '../../shared/article-visibility.ts';
import { notePurge } from '../../shared/cache-keys.ts';
import { isValidSlug } from '../../shared/slug.ts';
import type { ArticleContext } from './articles.context.ts';

// The addresses an article had on an old site (a WordPress permalink, `/?p=123`), kept so that links to them
// still lead to it: `GET /v1/redirects?path=…` answers its address here while it is public.

export const PATH_REDIRECT_MAX_LENGTH = 2000;

/**
 * The form a path is stored and looked up in, so that spellings of one address meet: percent-escapes decoded
 * (reserved ones kept, upper-cased), lower case, no trailing slash, no fragment; the query is kept as it is
 * (`/?p=123`). A full address counts by its path and query. Null for what is not a path.
 */
export function normaliseRedirectPath(input: string): string | null {
  let raw = input.trim();
  if (/^https?:\/\//i.test(raw)) {
    try {
      const url = new URL(raw);
      raw = url.pathname + url.search;
    } catch {
      return null;
    }
  }
  if (!raw.startsWith('/') || raw.startsWith('//')) return null;
  const hash = raw.indexOf('#');
  if (hash !== -1) raw = raw.slice(0, hash);
  const queryAt = raw.indexOf('?');
  let path = queryAt === -1 ? raw : raw.slice(0, queryAt);
  const query = queryAt === -1 ? '' : raw.slice(queryAt + 1);
  try {
    path = decodeURI(path);
  } catch {
    // A malformed escape: the path is kept as it came.
  }
  path = path.toLowerCase().replace(/%[0-9a-f]{2}/g, (kept) => kept.toUpperCase());
  if (path.length > 1) path = path.replace(/\/+$/, '') || '/';
  const normalised = query ? `${path}?${query}` : path;
  return normalised.length <= PATH_REDIRECT_MAX_LENGTH ? normalised : null;
}

export function createPathRedirectOperations(ctx: ArticleContext) {
  const { repo, now } = ctx;
  return {
    /**
     * Records the old addresses of an article (an import's), in one transaction: each path leads to it from now
     * on, unless it already leads to another article (the first keeps it: it is returned in `taken`); and
     * `formerSlug`, when it is a free valid slug other than the article's, answers as one of its former slugs.
     * Changes no public answer until it is looked up.
     */
    async recordPathRedirects(
      articleId: string,
      paths: readonly string[],
      options: { formerSlug?: string | null } = {},
    ): Promise<{ added: number; taken: string[] }> {
      const wanted = [...new Set(paths.map(normaliseRedirectPath).filter((path): path is string => path !== null))];
      const formerSlug = options.formerSlug && isValidSlug(options.formerSlug) ? options.formerSlug : null;
      // A path and a former slug that answered 404 before: no stored answer holds them.
      notePurge([]);
      if (!wanted.length && !formerSlug) return { added: 0, taken: [] };
      return repo.inTransaction(async (tx) => {
        const article = await tx.article.findUnique({ where: { id: articleId }, select: { slug: true } });
        if (!article) return { added: 0, taken: [] };
        const existing = await tx.pathRedirect.findMany({ where: { path: { in: wanted } }, select: { path: true, articleId: true } });
        const known = new Map(existing.map((row) => [row.path, row.articleId]));
        const fresh = wanted.filter((path) => !known.has(path));
        const taken = wanted.filter((path) => known.has(path) && known.get(path) !== articleId);
        for (const path of fresh) await tx.pathRedirect.create({ data: { path, articleId, createdAt: now() } });
        if (formerSlug && formerSlug !== article.slug) {
          const [articles, redirects] = await Promise.all([
            tx.article.count({ where: { slug: formerSlug } }),
            tx.articleSlugRedirect.count({ where: { slug: formerSlug } }),
          ]);
          if (articles + redirects === 0) await tx.articleSlugRedirect.create({ data: { slug: formerSlug, articleId } });
        }
        return { added: fresh.length, taken };
      });
    },

    /**
     * The public article an old address leads to, with the keys of the answers that show it (what purges the
     * redirect); null when the address is unknown or its article is not public.
     */
    async findPathRedirect(path: string): Promise<{ articleId: string; slug: string; keys: string[] } | null> {
      const normalised = normaliseRedirectPath(path);
      if (!normalised) return null;
      const found = await repo.inTransaction((tx) =>
        tx.pathRedirect.findFirst({
          where: { path: normalised, article: { is: publicArticleWhere(now()) } },
          select: { article: { select: { id: true, slug: true } } },
        }),
      );
      if (!found) return null;
      return { articleId: found.article.id, slug: found.article.slug, keys: [`article:${found.article.id}`] };
    },
  };
}

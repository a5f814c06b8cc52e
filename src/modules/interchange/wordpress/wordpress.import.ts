import type { Actor } from '../../../shared/actor.ts';
import { collectNotedPurges, withSafetyNet } from '../../../shared/cache-keys.ts';
import type { ImportOutcome, ImportResultLine, IncomingPhoto } from '../../../shared/incoming-article.ts';
import type { ArticlesService } from '../../articles/index.ts';
import type { IncomingImporter } from '../interchange.incoming.ts';
import { createWordpressContext, planWordpressItem, type WordpressItemPlan } from './wordpress.posts.ts';
import { readWxr, type ReadWxrOptions } from './wxr.ts';

// A WordPress export imported item by item as it is read: posts through the importer every source goes
// through, then their old addresses recorded as redirects. One result line per item, as soon as it is known.

export interface WordpressImportDeps {
  importer: Pick<IncomingImporter, 'importIncoming'>;
  articles: Pick<ArticlesService, 'recordPathRedirects'>;
  /** Purges the public answers an item changed (`everything` when a write did not say which). */
  purge: (keys: string[] | 'everything') => void;
}

export interface WordpressImportOptions extends ReadWxrOptions {
  /** Publish the posts published in WordPress (drafts stay drafts); needs the publish right. */
  publish: boolean;
  /**
   * Posts held while their featured image's attachment has not been read yet (WordPress often exports an
   * attachment after its post); beyond this, the oldest is imported without its cover.
   */
  maxWaitingPosts?: number;
}

type Post = Extract<WordpressItemPlan, { kind: 'post' }> & { ordinal: number };

const defaultMaxWaitingPosts = 200;

export function createWordpressImport(deps: WordpressImportDeps) {
  const { importer, articles, purge } = deps;

  async function importPost(post: Post, cover: IncomingPhoto | null, actor: Actor, publish: boolean): Promise<ImportResultLine> {
    const { article, formerSlug } = post;
    const { result, noted } = await collectNotedPurges(async (): Promise<ImportOutcome> => {
      const outcome = await importer.importIncoming({ ...article, cover }, actor, { publish: publish && post.isPublished });
      if (outcome.id && outcome.status !== 'error' && outcome.status !== 'skipped') {
        // Also for an unchanged post: an import cut off between the two writes is completed by the next one.
        const { taken } = await articles.recordPathRedirects(outcome.id, article.redirectPaths ?? [], { formerSlug });
        if (taken.length)
          outcome.warnings = [...(outcome.warnings ?? []), `old addresses that lead to another article already: ${taken.join(', ')}`];
      }
      return outcome;
    });
    const hasWritten = result.status === 'created' || result.status === 'updated';
    if (noted?.length) purge(withSafetyNet(noted));
    else if (noted === undefined && hasWritten) purge('everything');
    const warnings = [...post.warnings, ...(result.warnings ?? [])];
    return {
      line: post.ordinal,
      status: result.status,
      type: 'article',
      id: result.id ?? null,
      ...(result.error ? { error: result.error } : {}),
      ...(warnings.length ? { warnings } : {}),
    };
  }

  return {
    /**
     * Reads the export and imports its posts, yielding a result line per item (`line` is the item's position
     * in the file): posts `created`, `updated`, `unchanged` or `error`; attachments, pages and other items
     * `skipped`. An item that is not well-formed is an `error` line and the next is read; a file cut off ends
     * with an `error` line of type `export`, everything before it imported. Importing it again changes nothing.
     */
    async *run(source: AsyncIterable<Buffer | string>, actor: Actor, options: WordpressImportOptions): AsyncGenerator<ImportResultLine> {
      const ctx = createWordpressContext();
      const maxWaiting = options.maxWaitingPosts ?? defaultMaxWaitingPosts;
      // Posts waiting for their featured image's attachment, in file order.
      const waiting: Post[] = [];
      let lastOrdinal = 0;

      const release = async function* (which: (post: Post) => boolean, note?: (post: Post) => string) {
        for (let i = 0; i < waiting.length; ) {
          const post = waiting[i] as Post;
          if (!which(post)) {
            i++;
            continue;
          }
          waiting.splice(i, 1);
          const cover = post.thumbnailId ? (ctx.attachments.get(post.thumbnailId) ?? null) : null;
          if (!cover && note) post.warnings.push(note(post));
          yield await importPost(post, cover, actor, options.publish);
        }
      };

      for await (const event of readWxr(source, options)) {
        switch (event.type) {
          case 'site':
            ctx.site = event.site;
            break;
          case 'author':
            ctx.authors.set(event.author.login, event.author);
            break;
          case 'category':
            ctx.categories.set(event.category.nicename, event.category);
            break;
          case 'tag':
            break;
          case 'error':
            yield {
              line: event.ordinal ?? lastOrdinal + 1,
              status: 'error',
              type: event.ordinal === null ? 'export' : 'item',
              id: null,
              error: { code: event.code, detail: event.detail },
            };
            if (event.ordinal !== null) lastOrdinal = Math.max(lastOrdinal, event.ordinal);
            break;
          case 'item': {
            const { item } = event;
            lastOrdinal = item.ordinal;
            const plan = planWordpressItem(item, ctx);
            if (plan.kind === 'skip') {
              yield { line: item.ordinal, status: 'skipped', type: plan.type, id: null, warnings: [plan.reason] };
              break;
            }
            if (plan.kind === 'attachment') {
              if (plan.id && plan.photo) ctx.attachments.set(plan.id, plan.photo);
              yield { line: item.ordinal, status: 'skipped', type: 'attachment', id: null };
              const id = plan.id;
              if (id) yield* release((post) => post.thumbnailId === id);
              break;
            }
            const post: Post = { ...plan, ordinal: item.ordinal };
            if (post.thumbnailId && !ctx.attachments.has(post.thumbnailId)) {
              waiting.push(post);
              if (waiting.length > maxWaiting) {
                const oldest = waiting[0] as Post;
                yield* release(
                  (candidate) => candidate === oldest,
                  (p) => `featured image ${p.thumbnailId} not found within ${maxWaiting} posts: imported without a cover`,
                );
              }
              break;
            }
            const cover = post.thumbnailId ? (ctx.attachments.get(post.thumbnailId) ?? null) : null;
            yield await importPost(post, cover, actor, options.publish);
            break;
          }
        }
      }
      // The end of the file: what still waits has no attachment in it.
      yield* release(
        () => true,
        (post) => `featured image ${post.thumbnailId} is not in the export: imported without a cover`,
      );
    },
  };
}

export type WordpressImport = ReturnType<typeof createWordpressImport>;

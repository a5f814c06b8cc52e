import { availableParallelism } from 'node:os';
import type { Container } from '../container.ts';
import { receiveBytes } from '../modules/media/index.ts';
import type { Actor } from '../shared/actor.ts';
import {
  demoArticles,
  demoAuthors,
  demoFeedExtras,
  demoMedia,
  demoRubrics,
  demoTags,
  type DemoBlock,
  type DemoMedia,
} from './demo-content.ts';
import { drawDemoPicture } from './demo-pictures.ts';

/** Every demo account's password: demo content is for trying the API out, never for production. */
export const demoPassword = 'demo-password-2026';
export const demoAdminEmail = 'admin@demo.newsroom.example';

const hour = 3_600_000;

async function eachConcurrently<T>(items: readonly T[], limit: number, run: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await run(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
}

async function demoFile({ key }: DemoMedia): Promise<{ data: Buffer; fileName: string }> {
  return { data: await drawDemoPicture(key), fileName: `${key}.jpg` };
}

/**
 * Loads the demo content through the services, as a newsroom would enter it. Runs only on a database
 * with no content, so it never mixes with real work. Returns whether it loaded anything.
 */
export async function loadDemoContent(container: Container): Promise<boolean> {
  const { services, db, now, config } = container;
  const prisma = db.prisma;
  if ((await prisma.article.count()) > 0 || (await prisma.rubric.count()) > 0) return false;

  const admin =
    (await services.users.findByEmail(demoAdminEmail)) ??
    (await services.users.create({ email: demoAdminEmail, password: demoPassword, displayName: 'Администратор', role: 'admin' }));
  const adminActor: Actor = { type: 'user', userId: admin.id, role: 'admin' };

  const userIds = new Map<string, string>();
  const actors = new Map<string, Actor>();
  for (const author of demoAuthors) {
    const user =
      (await services.users.findByEmail(author.email)) ??
      (await services.users.create({
        email: author.email,
        password: demoPassword,
        displayName: author.displayName,
        slug: author.slug,
        bio: author.bio,
        role: author.role,
      }));
    userIds.set(author.slug, user.id);
    actors.set(author.slug, { type: 'user', userId: user.id, role: author.role });
  }

  // Uploaded like any file, into the configured storage: photos get their renditions and dominant colour.
  // First, before the rubrics that mark the database as loaded: a failed upload leaves it to load again
  // at the next start (an upload of the same bytes answers the media already stored).
  // Encoding renditions is most of the loading time, and sharp works on an image with one thread here: one upload per core.
  const mediaIds = new Map<string, string>();
  await eachConcurrently(demoMedia, availableParallelism(), async (media) => {
    const { data, fileName } = await demoFile(media);
    const received = await receiveBytes(data, config.mediaMaxBytes, fileName);
    if (received.type.kind !== media.kind) throw new Error(`demo media ${media.key} is ${received.type.kind}, not ${media.kind}`);
    const { caption, altText, credit, source } = media;
    const { media: uploaded } = await services.media.upload(received, { caption, altText, credit, source }, adminActor);
    mediaIds.set(media.key, uploaded.id);
  });

  const rubricIds = new Map<string, string>();
  for (const rubric of [...demoRubrics].sort((a, b) => Number(Boolean(a.parentSlug)) - Number(Boolean(b.parentSlug)))) {
    const parentId = rubric.parentSlug ? rubricIds.get(rubric.parentSlug) : undefined;
    const created = await services.rubrics.create({
      name: rubric.name,
      slug: rubric.slug,
      description: rubric.description,
      position: rubric.position,
      ...(parentId ? { parentId } : {}),
    });
    rubricIds.set(rubric.slug, created.id);
  }

  const tagIds = new Map<string, string>();
  for (const tag of demoTags) tagIds.set(tag.slug, (await services.tags.create({ name: tag.name, slug: tag.slug })).id);

  const idOf = (map: Map<string, string>, key: string) => {
    const id = map.get(key);
    if (!id) throw new Error(`demo content refers to an unknown key: ${key}`);
    return id;
  };
  const toBlock = (block: DemoBlock) =>
    block.type === 'image'
      ? { type: 'image' as const, mediaId: idOf(mediaIds, block.mediaKey), ...(block.caption ? { caption: block.caption } : {}) }
      : block;

  // Oldest first, so creation order matches publication order.
  const byAge = [...demoArticles].sort((a, b) => (b.publishedHoursAgo ?? -1) - (a.publishedHoursAgo ?? -1));
  for (const article of byAge) {
    const firstAuthor = article.authorSlugs[0];
    const actor = (firstAuthor && actors.get(firstAuthor)) || adminActor;
    const created = await services.articles.create(
      {
        title: article.title,
        slug: article.slug,
        lead: article.lead,
        body: article.body.map(toBlock),
        keyPoints: article.keyPoints,
        rubricId: idOf(rubricIds, article.rubricSlug),
        tagIds: article.tagSlugs.map((s) => idOf(tagIds, s)),
        authorIds: article.authorSlugs.map((s) => idOf(userIds, s)),
        ...(article.coverMediaKey ? { coverMediaId: idOf(mediaIds, article.coverMediaKey) } : {}),
        // Publishing queues the narrated ones: the worker reads them aloud after start-up, like any newsroom's.
        narration: article.isNarrated ? 'auto' : 'off',
        ...(article.seoTitle ? { seoTitle: article.seoTitle } : {}),
        ...(article.seoDescription ? { seoDescription: article.seoDescription } : {}),
        showInFeed: article.showInFeed ?? true,
      },
      actor,
    );
    if (article.publishedHoursAgo === null) continue;
    await services.articles.publish(created.id, adminActor);
    // The demo reads like a live site: back-date publication to the story's time, feed item too.
    const publishedAt = new Date(now().getTime() - article.publishedHoursAgo * hour);
    await prisma.$transaction([
      prisma.article.update({ where: { id: created.id }, data: { publishedAt } }),
      prisma.feedItem.updateMany({ where: { articleId: created.id }, data: { publishedAt } }),
      prisma.articleSearchTerm.updateMany({ where: { articleId: created.id }, data: { publishedAt } }),
    ]);
  }

  for (const extra of demoFeedExtras) {
    await services.feed.create({
      kind: extra.kind,
      headline: extra.headline,
      url: extra.url,
      isPinned: extra.isPinned,
      ...(extra.adMarking ? { adMarking: extra.adMarking } : {}),
      publishedAt: new Date(now().getTime() - extra.hoursAgo * hour).toISOString(),
      ...(extra.rubricSlug ? { rubricId: idOf(rubricIds, extra.rubricSlug) } : {}),
    });
  }
  return true;
}

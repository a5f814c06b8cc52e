import type { MediaKind } from '../../src/modules/media/index.ts';
import type { CreateArticleInput } from '../../src/modules/articles/articles.schemas.ts';
import type { Actor } from '../../src/shared/actor.ts';
import type { TestApp } from '../support/test-app.ts';

export const adminActor: Actor = { type: 'apiKey', apiKeyId: 'fixtures', scopes: ['admin'] };

const mimeTypes: Record<MediaKind, string> = { image: 'image/jpeg', audio: 'audio/mpeg', video: 'video/mp4', document: 'application/pdf' };

/** A media item of the kind, registered through the media service. */
export async function createMedia(t: TestApp, kind: MediaKind, credit = 'Городские новости/Анна Смирнова') {
  return t.container.services.media.create(
    { kind, url: `https://media.example/${kind}/${Math.random().toString(36).slice(2)}`, mimeType: mimeTypes[kind], credit },
    adminActor,
  );
}

export const paragraph = (text: string) => ({ type: 'paragraph' as const, text });

/** A draft made through the service (as an API key: no byline unless given). */
export function createDraft(t: TestApp, input: Partial<CreateArticleInput> & { title: string }, actor: Actor = adminActor) {
  return t.container.services.articles.create({ body: [paragraph(`Текст статьи «${input.title}».`)], ...input }, actor);
}

/** A published article: created, then published at the clock's current time. */
export async function createPublished(t: TestApp, input: Partial<CreateArticleInput> & { title: string }, actor: Actor = adminActor) {
  const draft = await createDraft(t, input, actor);
  return t.container.services.articles.publish(draft.id, adminActor);
}

/** Every row the articles module writes, to prove a refused request changed nothing. */
export async function articleTables(t: TestApp): Promise<string> {
  const p = t.container.db.prisma;
  return JSON.stringify(
    await Promise.all([
      p.article.findMany({ orderBy: { id: 'asc' } }),
      p.articleAuthor.findMany({ orderBy: [{ articleId: 'asc' }, { userId: 'asc' }] }),
      p.articleTag.findMany({ orderBy: [{ articleId: 'asc' }, { tagId: 'asc' }] }),
      p.articleBodyMedia.findMany({ orderBy: [{ articleId: 'asc' }, { mediaId: 'asc' }] }),
      p.articleSlugRedirect.findMany({ orderBy: { slug: 'asc' } }),
      p.feedItem.findMany({ orderBy: { id: 'asc' } }),
    ]),
  );
}

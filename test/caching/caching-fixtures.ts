import type { Response } from 'supertest';
import type { Dialect } from '../../src/db/dialect.ts';
import type { ArticleResponse } from '../../src/modules/articles/articles.schemas.ts';
import { createMedia, createPublished, paragraph } from '../articles/article-fixtures.ts';
import { createTestApp, type SignedIn, type TestApp } from '../support/test-app.ts';

/** The in-process store on (other suites run without it): `useTestApp(dialect, { env: cachingEnv })`. */
export const cachingEnv = { PUBLIC_CACHE: 'on' };

/** A test app with the in-process store on. */
export function createCachingApp(dialect: Dialect, env: Record<string, string> = {}): Promise<TestApp> {
  return createTestApp(dialect, { ...cachingEnv, ...env });
}

/** Whether the answer came from the in-process store: only those carry Age. */
export const isFromStore = (res: Response): boolean => res.headers.age !== undefined;

export const surrogateKeysOf = (res: Response): string[] => (res.headers['surrogate-key'] ?? '').split(' ').filter(Boolean);

export interface Newsroom {
  admin: SignedIn;
  editor: SignedIn;
  anna: SignedIn;
  boris: SignedIn;
  city: { id: string; slug: string };
  sport: { id: string; slug: string };
  budget: { id: string; slug: string };
  transport: { id: string; slug: string };
  cover: { id: string };
  photo: { id: string };
  narration: { id: string };
  /** Everything embedded: rubric, two tags, two authors, a cover, a body photo and narration. */
  story: ArticleResponse;
  /** Another rubric, one author, no tags, no media. */
  other: ArticleResponse;
}

/** Two published articles and what they embed, set up through the services. */
export async function buildNewsroom(t: TestApp): Promise<Newsroom> {
  const admin = await t.signIn('admin');
  const editor = await t.signIn('editor');
  const anna = await t.signIn('author', { displayName: 'Анна Смирнова' });
  const boris = await t.signIn('author', { displayName: 'Борис Волков' });
  const { rubrics, tags } = t.container.services;
  const city = await rubrics.create({ name: 'Город' });
  const sport = await rubrics.create({ name: 'Спорт' });
  const budget = await tags.create({ name: 'Бюджет' });
  const transport = await tags.create({ name: 'Транспорт' });
  const cover = await createMedia(t, 'image', 'Городские новости/Ольга Ким');
  const photo = await createMedia(t, 'image', 'Городские новости/Илья Орлов');
  const narration = await createMedia(t, 'audio');
  const story = await createPublished(t, {
    title: 'Дума утвердила бюджет на ремонт трамвайных путей',
    lead: 'Работы начнутся весной и закончатся к осени.',
    body: [paragraph('Депутаты проголосовали единогласно.'), { type: 'image', mediaId: photo.id, caption: 'Трамвайное депо на Заречной' }],
    rubricId: city.id,
    tagIds: [budget.id, transport.id],
    authorIds: [anna.user.id, boris.user.id],
    coverMediaId: cover.id,
    narrationMediaId: narration.id,
  });
  t.clock.advance(60_000);
  const other = await createPublished(t, { title: 'Хоккейный клуб сменил тренера', rubricId: sport.id, authorIds: [boris.user.id] });
  t.clock.advance(60_000);
  return { admin, editor, anna, boris, city, sport, budget, transport, cover, photo, narration, story, other };
}

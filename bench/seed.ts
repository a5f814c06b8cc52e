import type { Container } from '../src/container.ts';
import type { Actor } from '../src/shared/actor.ts';

export interface SeededContent {
  /** Slugs of the published articles, oldest first. */
  articleSlugs: string[];
  rubricSlugs: string[];
  tagSlugs: string[];
  /** An API key with the admin scope, for the management scenarios. */
  adminApiKey: string;
}

export interface SeedOptions {
  articles: number;
  /** Moves the app's clock: each article is published a minute after the previous one, ending now. */
  setClock: (at: Date | null) => void;
}

const paragraphs = [
  'Городская дума утвердила бюджет на следующий год: расходы на ремонт дорог вырастут на двенадцать процентов, на школы — на восемь.',
  'Жители Заречного района пожаловались на перебои с горячей водой; в управляющей компании обещают закончить ремонт к пятнице.',
  'Футбольный клуб «Звезда» обыграл соперников со счётом 2:1 и поднялся на третье место в турнирной таблице.',
  'В краеведческом музее открылась выставка фотографий старого города: ' +
    'снимки из семейных архивов горожан показывают улицы, которых уже нет.',
  'Синоптики обещают похолодание до минус пятнадцати к выходным и советуют водителям заранее сменить резину.',
];

/**
 * Published articles made through the services, as the API would make them (slugs, search text,
 * feed items), a few minutes apart so that lists have a stable order. Around 20 ms an article on SQLite.
 */
export async function seedContent(container: Container, options: SeedOptions): Promise<SeededContent> {
  const { services } = container;
  const admin = await services.users.create({
    email: 'bench-admin@bench.example',
    password: 'bench-password-2026',
    displayName: 'Bench Admin',
    role: 'admin',
  });
  const adminActor: Actor = { type: 'user', userId: admin.id, role: 'admin' };
  const authors = await Promise.all(
    ['Анна Смирнова', 'Пётр Иванов', 'Мария Кузнецова', 'Олег Соколов'].map((displayName, i) =>
      services.users.create({ email: `author${i}@bench.example`, password: 'bench-password-2026', displayName, role: 'author' }),
    ),
  );
  const rubrics = await inOrder(['Город', 'Спорт', 'Культура', 'Экономика', 'Происшествия', 'Погода'], (name, i) =>
    services.rubrics.create({ name, position: i }),
  );
  const tags = await inOrder(numbers(20), (i) => services.tags.create({ name: `Тема ${i + 1}` }));
  const photos = await inOrder(numbers(10), (i) =>
    services.media.create(
      {
        kind: 'image',
        url: `https://media.bench.example/photo-${i}.jpg`,
        mimeType: 'image/jpeg',
        width: 1600,
        height: 900,
        caption: `Фото ${i + 1}`,
        credit: 'Фото: редакция',
      },
      adminActor,
    ),
  );

  const minute = 60_000;
  const start = Date.now() - (options.articles + 1) * minute;
  const articleSlugs: string[] = [];
  for (let i = 0; i < options.articles; i++) {
    options.setClock(new Date(start + i * minute));
    const pick = <T>(list: T[], offset = 0) => list[(i + offset) % list.length]!;
    const created = await services.articles.create(
      {
        title: `Новость номер ${i + 1}: ${pick(['бюджет', 'ремонт', 'матч', 'выставка', 'погода'])} и другие события дня`,
        lead: pick(paragraphs, 1),
        body: [
          { type: 'paragraph', text: pick(paragraphs) },
          { type: 'heading', level: 2, text: 'Подробности' },
          { type: 'paragraph', text: pick(paragraphs, 2) },
          { type: 'image', mediaId: pick(photos).id, caption: 'Снимок с места событий' },
          { type: 'paragraph', text: pick(paragraphs, 3) },
        ],
        rubricId: pick(rubrics).id,
        tagIds: [pick(tags).id, pick(tags, 7).id],
        authorIds: [pick(authors).id],
        coverMediaId: pick(photos, 3).id,
      },
      adminActor,
    );
    // Published through the service (no HTTP, so no If-Match): the same rules, minus the transport.
    const published = await services.articles.publish(created.id, adminActor);
    articleSlugs.push(published.slug);
  }
  options.setClock(null);

  const key = await services.apiKeys.create({ name: 'bench admin', scopes: ['admin'] }, adminActor);
  return { articleSlugs, rubricSlugs: rubrics.map((r) => r.slug), tagSlugs: tags.map((t) => t.slug), adminApiKey: key.key };
}

const numbers = (count: number) => Array.from({ length: count }, (_, i) => i);

// One at a time, so ids and creation times follow the list.
async function inOrder<T, R>(items: T[], create: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const created: R[] = [];
  for (const [i, item] of items.entries()) created.push(await create(item, i));
  return created;
}

import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect, useTestApp } from '../support/test-app.ts';
import { createPublished, paragraph } from '../articles/article-fixtures.ts';

type Field = 'title' | 'lead' | 'body';
const weights: Record<Field, number> = { title: 8, lead: 2, body: 1 };
// Each word in the forms it is written in; the query asks for yet another form.
const words = {
  budget: { forms: ['бюджет', 'бюджета', 'бюджетом'], query: 'бюджете' },
  road: { forms: ['дороги', 'дорогу', 'дорогами'], query: 'дорога' },
  school: { forms: ['школы', 'школе', 'школам'], query: 'школа' },
};
type Word = keyof typeof words;

/** A small deterministic random source, so a failure can be replayed. */
function random(seed: number) {
  let s = seed;
  return () => {
    s = (s * 1_103_515_245 + 12_345) % 2 ** 31;
    return s / 2 ** 31;
  };
}

interface Expected {
  id: string;
  publishedAt: string;
  rubric: 'a' | 'b';
  scores: Record<Word, number>;
}

describeEachDialect('search: ranking against a model', (dialect) => {
  const { t } = useTestApp(dialect);
  const articles: Expected[] = [];
  let rubricSlugs: Record<'a' | 'b', string>;

  beforeAll(async () => {
    const a = await t.container.services.rubrics.create({ name: 'Город' });
    const b = await t.container.services.rubrics.create({ name: 'Область' });
    rubricSlugs = { a: a.slug, b: b.slug };
    const next = random(20261120);
    const pick = <T>(list: readonly T[]) => list[Math.floor(next() * list.length)]!;
    // Skewed like news: most mentions in the body, some in the lead, few in the title.
    const placements: Field[][] = [
      [],
      [],
      ['body'],
      ['body'],
      ['body'],
      ['body'],
      ['lead'],
      ['lead', 'body'],
      ['title'],
      ['title', 'body'],
      ['title', 'lead', 'body'],
    ];
    for (let i = 0; i < 90; i++) {
      // Several articles share a publication time: the id settles their order.
      if (i % 3 === 0) t.clock.advance(60_000);
      const fields = { title: [`Новость ${i}`], lead: [] as string[], body: [`Текст номер ${i}.`] };
      const scores = { budget: 0, road: 0, school: 0 };
      for (const word of Object.keys(words) as Word[]) {
        for (const field of pick(placements)) {
          fields[field].push(pick(words[word].forms));
          scores[word] += weights[field];
        }
      }
      const rubric = next() < 0.5 ? 'a' : 'b';
      const created = await createPublished(t, {
        title: fields.title.join(' '),
        lead: fields.lead.length ? `Коротко: ${fields.lead.join(', ')}.` : null,
        body: [paragraph(fields.body.join(' '))],
        rubricId: rubric === 'a' ? a.id : b.id,
      });
      articles.push({ id: created.id, publishedAt: created.publishedAt!, rubric, scores });
    }
  });

  /** The ranking the model expects: every word present, summed scores, then newest, then the larger id. */
  function expected(query: Word[], rubric?: 'a' | 'b'): { id: string; score: number }[] {
    return articles
      .filter((a) => query.every((w) => a.scores[w] > 0) && (!rubric || a.rubric === rubric))
      .map((a) => ({ ...a, score: query.reduce((sum, w) => sum + a.scores[w], 0) }))
      .sort((x, y) => y.score - x.score || y.publishedAt.localeCompare(x.publishedAt) || (y.id > x.id ? 1 : -1))
      .map(({ id, score }) => ({ id, score }));
  }

  async function readAll(q: string, limit: number, rubric?: string): Promise<{ id: string; score: number }[]> {
    const hits: { id: string; score: number }[] = [];
    let cursor: string | null = null;
    do {
      const res: { body: { items: { id: string; score: number }[]; nextCursor: string | null } } = await t
        .http()
        .get('/v1/search')
        .query({ q, limit, ...(rubric ? { rubric } : {}), ...(cursor ? { cursor } : {}) })
        .expect(200);
      hits.push(...(res.body.items as { id: string; score: number }[]).map(({ id, score }) => ({ id, score })));
      cursor = res.body.nextCursor;
    } while (cursor);
    return hits;
  }

  it("when one, two or three common words are searched, page by page at any page size, then the hits are exactly the model's ranking", async () => {
    const queries: Word[][] = [['budget'], ['road'], ['budget', 'road'], ['road', 'school'], ['budget', 'road', 'school']];
    for (const query of queries) {
      const q = query.map((w) => words[w].query).join(' ');
      const want = expected(query);
      expect(want.length, q).toBeGreaterThan(5);
      for (const limit of [1, 4, 10, 100]) expect(await readAll(q, limit), `${q}, limit ${limit}`).toEqual(want);
    }
  });

  it("when a rubric filter narrows the same searches, then the hits are still exactly the model's ranking", async () => {
    for (const query of [['budget'], ['budget', 'school']] as Word[][]) {
      const q = query.map((w) => words[w].query).join(' ');
      for (const rubric of ['a', 'b'] as const) {
        for (const limit of [3, 50])
          expect(await readAll(q, limit, rubricSlugs[rubric]), `${q} in ${rubric}, limit ${limit}`).toEqual(expected(query, rubric));
      }
    }
  });
});

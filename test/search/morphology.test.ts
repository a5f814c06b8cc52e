import { beforeAll, expect, it } from 'vitest';
import { describeEachDialect, useTestApp } from '../support/test-app.ts';
import { createPublished, paragraph } from '../articles/article-fixtures.ts';

// Two forms of one word each: an article with either is found by a query with the other.
const wordPairs: [kind: string, a: string, b: string][] = [
  ['noun', 'сотрудничество', 'сотрудничества'],
  ['noun', 'переговоры', 'переговорах'],
  ['noun', 'выборы', 'выборах'],
  ['noun', 'бюджет', 'бюджета'],
  ['noun', 'правительство', 'правительству'],
  ['noun', 'экономика', 'экономики'],
  ['noun', 'министр', 'министром'],
  ['noun', 'учитель', 'учителями'],
  ['noun', 'площадь', 'площади'],
  ['noun', 'пятница', 'пятницу'],
  ['noun, fleeting vowel', 'ребёнок', 'ребёнка'],
  ['noun, fleeting vowel', 'рынок', 'рынке'],
  ['noun, fleeting vowel', 'отец', 'отца'],
  ['noun, fleeting vowel', 'кубок', 'кубка'],
  ['adjective', 'российский', 'российского'],
  ['adjective', 'экономический', 'экономическим'],
  ['adjective', 'последний', 'последнего'],
  ['adjective', 'горячий', 'горячей'],
  ['adjective', 'красивые', 'красивых'],
  ['verb', 'заявил', 'заявила'],
  ['verb', 'победить', 'победил'],
  ['verb', 'читать', 'читает'],
  ['verb', 'сообщил', 'сообщили'],
  ['surname', 'Иванов', 'Ивановым'],
  ['surname', 'Лавров', 'Лаврову'],
  ['surname', 'Медведев', 'Медведевым'],
  ['surname', 'Достоевский', 'Достоевского'],
  ['surname', 'Пушкин', 'Пушкину'],
  ['surname', 'Чехов', 'Чеховым'],
  ['surname', 'Смирнова', 'Смирновой'],
  ['city', 'Москва', 'Москве'],
  ['city', 'Петербург', 'Петербурге'],
  ['city', 'Екатеринбург', 'Екатеринбурге'],
  ['city', 'Новосибирск', 'Новосибирска'],
  ['city', 'Ростов', 'Ростове'],
  ['city', 'Саратов', 'Саратове'],
  ['city', 'Казань', 'Казани'],
  ['city', 'Тверь', 'Твери'],
  ['city', 'Ярославль', 'Ярославлем'],
  ['city', 'Киев', 'Киеве'],
  ['country', 'Китая', 'Китай'],
  ['country', 'Германия', 'Германии'],
  ['place', 'Байкал', 'Байкале'],
  ['place', 'Урал', 'Урале'],
  ['place', 'Енисей', 'Енисея'],
];

describeEachDialect('search: word forms', (dialect) => {
  const { t } = useTestApp(dialect);
  // For each pair, an article written with form a and one written with form b.
  const articleIds = new Map<string, string>();
  let latin: Record<'covid' | 'iphone' | 'elections' | 'yolka' | 'elka', string>;

  const found = async (q: string) =>
    ((await t.http().get('/v1/search').query({ q, limit: 100 }).expect(200)).body.items as { id: string }[]).map((h) => h.id);

  beforeAll(async () => {
    for (const [, a, b] of wordPairs) {
      for (const form of [a, b]) {
        const article = await createPublished(t, {
          title: `Заметка ${articleIds.size + 1}`,
          body: [paragraph(`Сегодня в тексте было слово ${form} и больше ничего.`)],
        });
        articleIds.set(form, article.id);
      }
    }
    latin = {
      covid: (await createPublished(t, { title: 'Статистика COVID-19 за неделю', body: [paragraph('Число заболевших снизилось.')] })).id,
      iphone: (await createPublished(t, { title: 'Обзор', body: [paragraph('Новый iPhone поступил в продажу в Москве.')] })).id,
      elections: (
        await createPublished(t, {
          title: 'Foreign press',
          lead: 'The elections were held on Sunday.',
          body: [paragraph('Turnout was high.')],
        })
      ).id,
      yolka: (await createPublished(t, { title: 'Главная ёлка города', body: [paragraph('Установка завершена.')] })).id,
      elka: (await createPublished(t, { title: 'Вторая елка в парке', body: [paragraph('Гирлянды включат вечером.')] })).id,
    };
  });

  it(`when a query has a word in one form, then articles with its other form are found (${wordPairs.length} pairs: nouns, adjectives, verbs, surnames, cities)`, async () => {
    expect(wordPairs.length).toBeGreaterThanOrEqual(30);
    const misses: string[] = [];
    for (const [kind, a, b] of wordPairs) {
      if (!(await found(a)).includes(articleIds.get(b)!)) misses.push(`${kind}: «${a}» does not find «${b}»`);
      if (!(await found(b)).includes(articleIds.get(a)!)) misses.push(`${kind}: «${b}» does not find «${a}»`);
    }
    expect(misses).toEqual([]);
  });

  it('when a word is asked for, then articles with unrelated words that merely look alike are not found', async () => {
    expect(await found('Китай')).not.toContain(articleIds.get('кубок'));
    expect(await found('кот')).toEqual([]);
    expect(await found('отечество')).toEqual([]);
    expect((await found('Москва')).sort()).toEqual([articleIds.get('Москва'), articleIds.get('Москве'), latin.iphone].sort());
  });

  it('when case or ё differ, then the search does not care', async () => {
    expect((await found('ёлка')).sort()).toEqual([latin.yolka, latin.elka].sort());
    expect((await found('ЕЛКИ')).sort()).toEqual([latin.yolka, latin.elka].sort());
    expect(await found('ПЕРЕГОВОРАХ')).toEqual(expect.arrayContaining([articleIds.get('переговоры'), articleIds.get('переговорах')]));
    expect(await found('ребенка')).toEqual(expect.arrayContaining([articleIds.get('ребёнок'), articleIds.get('ребёнка')]));
  });

  it('when the query is Latin or mixed, then English words are found in their other forms and names with digits as they are', async () => {
    expect(await found('COVID-19')).toEqual([latin.covid]);
    expect(await found('covid')).toEqual([latin.covid]);
    expect(await found('covid-20')).toEqual([]);
    expect(await found('iphone')).toEqual([latin.iphone]);
    expect(await found('iPhones в Москве')).toEqual([latin.iphone]);
    expect(await found('election')).toEqual([latin.elections]);
    expect(await found('Elections Sunday')).toEqual([latin.elections]);
  });
});

import { expect, it } from 'vitest';
import { adminActor, paragraph } from '../articles/article-fixtures.ts';
import { describeEachDialect, useTestApp } from '../support/test-app.ts';

const story = [
  paragraph('Городская дума утвердила бюджет на следующий год. Расходы на ремонт дорог вырастут на двенадцать процентов.'),
  { type: 'heading' as const, text: 'Что получат школы', level: 2 as const },
  paragraph('Две новые школы построят в Заречье и на Северном. Бюджет школ вырастет на семь процентов, ремонт дорог у школ пройдёт летом.'),
  {
    type: 'quote' as const,
    text: 'Мы впервые за десять лет закладываем в бюджет полный ремонт набережной и дорог к ней.',
    attribution: 'Ирина Полякова',
  },
  {
    type: 'list' as const,
    style: 'bulleted' as const,
    items: ['Ремонт сорока километров дорог за счёт городского бюджета', 'Новые трамваи'],
  },
  paragraph('Погода в выходные будет солнечной.'),
];

describeEachDialect('pronunciations and key-point suggestions', (dialect) => {
  const { t, editor, author } = useTestApp(dialect, { roles: ['editor', 'author'] });

  it('when an editor keeps the dictionary, then terms are unique whatever their case and changes need the current version', async () => {
    const created = await t.http().post('/v1/admin/pronunciations').set(editor.headers).send({ term: 'ЦБ', spoken: 'цэ бэ' });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ term: 'ЦБ', spoken: 'цэ бэ', version: 1 });
    const twice = await t.http().post('/v1/admin/pronunciations').set(editor.headers).send({ term: 'цб', spoken: 'цэбэ' });
    expect(twice.status).toBe(409);
    expect((await t.http().post('/v1/admin/pronunciations').set(author.headers).send({ term: 'МЧС', spoken: 'эм чэ эс' })).status).toBe(
      403,
    );

    const id = created.body.id as string;
    expect((await t.http().patch(`/v1/admin/pronunciations/${id}`).set(editor.headers).send({ spoken: 'цэ-бэ' })).status).toBe(428);
    const changed = await t
      .http()
      .patch(`/v1/admin/pronunciations/${id}`)
      .set(editor.headers)
      .set('If-Match', '"1"')
      .send({ spoken: 'цэ-бэ' });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({ spoken: 'цэ-бэ', version: 2 });
    const stale = await t.http().patch(`/v1/admin/pronunciations/${id}`).set(editor.headers).set('If-Match', '"1"').send({ spoken: 'x' });
    expect(stale.status).toBe(412);

    const list = await t.http().get('/v1/admin/pronunciations').set(editor.headers);
    expect(list.body.items.map((p: { term: string }) => p.term)).toEqual(['ЦБ']);
    const audit = await t.container.db.prisma.auditEvent.findMany({ where: { targetType: 'pronunciation', targetId: id } });
    expect(audit.map((a) => a.action).sort()).toEqual(['pronunciation.create', 'pronunciation.update']);

    expect((await t.http().delete(`/v1/admin/pronunciations/${id}`).set(editor.headers).set('If-Match', '"2"')).status).toBe(204);
    expect((await t.http().get(`/v1/admin/pronunciations/${id}`).set(editor.headers)).status).toBe(404);
  });

  it('when key points are suggested, then up to five central sentences come with offsets into their blocks, the same every time', async () => {
    const article = await t.container.services.articles.create({ title: 'Бюджет утверждён', body: story }, adminActor);
    const first = await t.http().get(`/v1/admin/articles/${article.id}/key-point-suggestions`).set(editor.headers);
    expect(first.status).toBe(200);
    const items = first.body.items as {
      text: string;
      blockIndex: number;
      itemIndex: number | null;
      start: number;
      end: number;
      score: number;
    }[];
    expect(items.length).toBeGreaterThan(2);
    expect(items.length).toBeLessThanOrEqual(5);
    for (const item of items) {
      const block = story[item.blockIndex]!;
      const text = block.type === 'list' ? block.items[item.itemIndex!]! : (block as { text: string }).text;
      expect(text.slice(item.start, item.end)).toBe(item.text);
      expect(block.type).not.toBe('heading');
    }
    // The sentences about the budget and roads share the most words; the weather shares none.
    expect(items[0]!.text).toMatch(/бюджет|дорог/i);
    expect(items.map((i) => i.text)).not.toContain('Погода в выходные будет солнечной.');
    const scores = items.map((i) => i.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);

    const again = await t.http().get(`/v1/admin/articles/${article.id}/key-point-suggestions`).set(editor.headers);
    expect(again.body).toEqual(first.body);
    // An author sees only their own articles.
    expect((await t.http().get(`/v1/admin/articles/${article.id}/key-point-suggestions`).set(author.headers)).status).toBe(404);
  });
});

import { expect, it } from 'vitest';
import { createDraft } from '../articles/article-fixtures.ts';
import { describeEachDialect, useTestApp } from '../support/test-app.ts';
import { cachingEnv, isFromStore } from './caching-fixtures.ts';

const minute = 60_000;
const hour = 60 * minute;

describeEachDialect('time-based visibility through the public cache', (dialect) => {
  const { t, editor } = useTestApp(dialect, { env: cachingEnv, roles: ['editor'] });

  // The clock moves by hours here: a token signed at the clock's time stays valid.
  const headers = () => ({ Authorization: `Bearer ${t.container.tokens.sign(editor.user.id, editor.sessionId)}` });
  const at = (offsetMs: number) => new Date(t.clock.now().getTime() + offsetMs);
  const read = (url: string) => t.http().get(url).expect(200);
  const idsIn = async (url: string) =>
    (await read(url)).body.items.map((item: { id: string; article?: { id: string } | null }) => item.article?.id ?? item.id);

  async function publish(id: string, body: object = {}) {
    const etag = (await t.http().get(`/v1/admin/articles/${id}`).set(headers()).expect(200)).headers.etag!;
    return (await t.http().post(`/v1/admin/articles/${id}/publish`).set(headers()).set('If-Match', etag).send(body).expect(200)).body;
  }

  it('when an article is scheduled, then cached lists and its page show it from its time on, with no write then', async () => {
    const draft = await createDraft(t, { title: 'Новая ветка метро откроется в полдень' });
    const publishAt = at(hour);
    await publish(draft.id, { publishAt: publishAt.toISOString() });
    await t.http().get(`/v1/articles/${draft.slug}`).expect(404);
    expect(await idsIn('/v1/articles')).not.toContain(draft.id);
    expect(isFromStore(await read('/v1/articles'))).toBe(true);

    // Close to the time, no cache on the way may keep the list past it.
    t.clock.set(new Date(publishAt.getTime() - 10_000));
    const close = await read('/v1/articles');
    expect(close.body.items.map((a: { id: string }) => a.id)).not.toContain(draft.id);
    expect(close.headers['cache-control']).toBe('public, max-age=10, s-maxage=10, stale-while-revalidate=300');
    t.clock.set(new Date(publishAt.getTime() - 1));
    const justBefore = await read('/v1/articles');
    expect([isFromStore(justBefore), justBefore.body.items.map((a: { id: string }) => a.id).includes(draft.id)]).toEqual([true, false]);

    t.clock.set(publishAt);
    expect(await idsIn('/v1/articles')).toContain(draft.id);
    expect(await idsIn('/v1/feed')).toContain(draft.id);
    expect((await read(`/v1/articles/${draft.slug}`)).body.id).toBe(draft.id);
  });

  it('when an embargo ends, then the cached list shows the article from that moment', async () => {
    const embargoUntil = at(30 * minute);
    const draft = await createDraft(t, { title: 'Итоги конкурса архитекторов', embargoUntil: embargoUntil.toISOString() });
    await publish(draft.id);
    expect(await idsIn('/v1/articles')).not.toContain(draft.id);
    t.clock.set(new Date(embargoUntil.getTime() - 1));
    expect(await idsIn('/v1/articles')).not.toContain(draft.id);
    expect(isFromStore(await read('/v1/articles'))).toBe(true);
    t.clock.set(embargoUntil);
    expect(await idsIn('/v1/articles')).toContain(draft.id);
  });

  it("when a feed item's window opens and closes, then the cached feed follows it", async () => {
    const from = at(10 * minute);
    const until = at(10 * minute + 30_000);
    const item = await t
      .http()
      .post('/v1/admin/feed-items')
      .set(headers())
      .send({
        kind: 'link',
        headline: 'Расписание электричек на праздники',
        url: 'https://rail.example/holidays',
        visibleFrom: from.toISOString(),
        visibleUntil: until.toISOString(),
      })
      .expect(201);
    expect(await idsIn('/v1/feed')).not.toContain(item.body.id);
    expect(isFromStore(await read('/v1/feed'))).toBe(true);
    t.clock.set(from);
    expect(await idsIn('/v1/feed')).toContain(item.body.id);
    t.clock.set(new Date(until.getTime() - 1));
    expect(isFromStore(await read('/v1/feed'))).toBe(true);
    t.clock.set(until);
    expect(await idsIn('/v1/feed')).not.toContain(item.body.id);
  });

  it("when nothing is scheduled, then answers are kept for the configured life, by the container's clock", async () => {
    await read('/v1/rubrics');
    t.clock.advance(59_999);
    expect(isFromStore(await read('/v1/rubrics'))).toBe(true);
    t.clock.advance(1);
    expect(isFromStore(await read('/v1/rubrics'))).toBe(false);
  });
});

import { describe, expect, it } from 'vitest';
import type { ArticleResponse } from '../../src/modules/articles/articles.schemas.ts';
import type { Role } from '../../src/shared/actor.ts';
import { adminActor, articleTables, createDraft } from './article-fixtures.ts';
import { describeEachDialect, useTestApp } from '../support/test-app.ts';

type State = 'draft' | 'in_review' | 'scheduled' | 'published' | 'archived';
type Action = 'submit' | 'reject' | 'publish' | 'unpublish' | 'archive';

const states: State[] = ['draft', 'in_review', 'scheduled', 'published', 'archived'];
const actions: Action[] = ['submit', 'reject', 'publish', 'unpublish', 'archive'];

// The contract, written out by hand: where each action may start, and where it leads.
const transitions: Record<Action, { from: State[]; to: State }> = {
  submit: { from: ['draft'], to: 'in_review' },
  reject: { from: ['in_review'], to: 'draft' },
  publish: { from: ['draft', 'in_review', 'scheduled', 'archived'], to: 'published' },
  unpublish: { from: ['published', 'scheduled', 'archived'], to: 'draft' },
  archive: { from: ['published'], to: 'archived' },
};
// Authors only write and submit; the rest of the workflow is the desk's.
const mayTake: Record<Role, Action[]> = { admin: actions, editor: actions, author: ['submit'] };

const hour = 60 * 60 * 1000;

describeEachDialect('editorial workflow', (dialect) => {
  const { t, ...people } = useTestApp(dialect, { roles: ['admin', 'editor', 'author'] });

  /** An article of the author's, brought to the state through the service. */
  async function articleIn(state: State, title: string): Promise<ArticleResponse> {
    const articles = t.container.services.articles;
    const draft = await createDraft(t, { title, authorIds: [people.author.user.id] });
    switch (state) {
      case 'draft':
        return draft;
      case 'in_review':
        return articles.submit(draft.id, adminActor);
      case 'scheduled':
        return articles.publish(draft.id, adminActor, { publishAt: new Date(t.clock.now().getTime() + hour).toISOString() });
      case 'published':
        return articles.publish(draft.id, adminActor);
      case 'archived':
        return articles.archive((await articles.publish(draft.id, adminActor)).id, adminActor);
    }
  }

  const act = (action: Action, article: ArticleResponse, headers: Record<string, string>) =>
    t.http().post(`/v1/admin/articles/${article.id}/${action}`).set(headers).set('If-Match', `"${article.version}"`);

  describe('role × state × action', () => {
    for (const role of ['admin', 'editor', 'author'] as const) {
      for (const state of states) {
        for (const action of actions) {
          const isAllowedRole = mayTake[role].includes(action);
          const isAllowedState = transitions[action].from.includes(state);
          const expected = !isAllowedRole ? 403 : isAllowedState ? 200 : 409;
          it(`${role} · ${state} · ${action} → ${expected}`, async () => {
            const article = await articleIn(state, `${role} ${state} ${action}`);
            const before = await articleTables(t);
            const res = await act(action, article, people[role].headers);
            expect(res.status).toBe(expected);
            if (expected === 200) {
              expect(res.body).toMatchObject({ id: article.id, status: transitions[action].to, version: article.version + 1 });
              expect(res.headers.etag).toBe(`"${article.version + 1}"`);
              const audit = await t.container.db.prisma.auditEvent.findFirst({
                where: { action: `article.${action}`, targetId: article.id },
              });
              expect(audit).toMatchObject({ actor: `user:${people[role].user.id}`, targetType: 'article' });
              expect(audit?.requestId).toBe(res.headers['x-request-id']);
              return;
            }
            expect(res.type).toBe('application/problem+json');
            expect(res.body.requestId).toBe(res.headers['x-request-id']);
            if (expected === 409) {
              expect(res.body).toMatchObject({
                code: 'invalid_transition',
                articleStatus: state,
                allowedActions: actions.filter((a) => transitions[a].from.includes(state)),
              });
              expect(res.body.detail).toContain(state.replace('_', ' '));
            }
            // A refused action changes nothing.
            expect(await articleTables(t)).toBe(before);
          });
        }
      }
    }
  });

  describe('API keys', () => {
    it("when a key with the write scope takes the desk's actions, then it may submit but not publish", async () => {
      const writer = await t.apiKey(['write']);
      const draft = await articleIn('draft', 'Ключ пишет');
      await act('publish', draft, writer.headers).expect(403);
      const submitted = await act('submit', draft, writer.headers).expect(200);
      expect(submitted.body.status).toBe('in_review');
      const publisher = await t.apiKey(['publish']);
      expect((await act('publish', submitted.body, publisher.headers).expect(200)).body.status).toBe('published');
    });
  });

  describe('preconditions', () => {
    it('when an action comes without If-Match, then 428; with a stale one, 412 with the current article', async () => {
      const draft = await articleIn('draft', 'Без версии');
      const missing = await t.http().post(`/v1/admin/articles/${draft.id}/submit`).set(people.editor.headers).expect(428);
      expect(missing.body.code).toBe('precondition_required');
      const changed = await t
        .http()
        .patch(`/v1/admin/articles/${draft.id}`)
        .set(people.editor.headers)
        .set('If-Match', '"1"')
        .send({ lead: 'Новый лид' })
        .expect(200);
      const stale = await act('submit', draft, people.editor.headers).expect(412);
      expect(stale.body.current).toEqual(changed.body);
      expect((await t.http().get(`/v1/admin/articles/${draft.id}`).set(people.editor.headers).expect(200)).body.status).toBe('draft');
    });

    it("when an author acts on another author's article, then it is not found to them", async () => {
      const other = await t.signIn('author');
      const draft = await articleIn('draft', 'Чужой черновик');
      await act('submit', draft, other.headers).expect(404);
    });

    it('when publishAt is not a date, then 422 and nothing changes', async () => {
      const draft = await articleIn('draft', 'Плохая дата');
      const res = await act('publish', draft, people.editor.headers).send({ publishAt: 'завтра' }).expect(422);
      expect(res.body.errors).toEqual([expect.objectContaining({ field: 'body.publishAt' })]);
      expect((await t.container.services.articles.get(draft.id, adminActor)).status).toBe('draft');
    });
  });

  describe('the feed follows the workflow', () => {
    it('when published, archived, published again and unpublished, then its feed item comes and goes with it', async () => {
      const draft = await articleIn('draft', 'Лента следует');
      const inFeed = async () =>
        (await t.http().get('/v1/feed').expect(200)).body.items.some((i: { article: { id: string } | null }) => i.article?.id === draft.id);
      let article = (await act('publish', draft, people.editor.headers).expect(200)).body;
      expect(await inFeed()).toBe(true);
      article = (await act('archive', article, people.editor.headers).expect(200)).body;
      expect(await inFeed()).toBe(false);
      await t.http().get(`/v1/articles/${article.slug}`).expect(404);
      article = (await act('publish', article, people.editor.headers).expect(200)).body;
      expect(await inFeed()).toBe(true);
      await t.http().get(`/v1/articles/${article.slug}`).expect(200);
      await act('unpublish', article, people.editor.headers).expect(200);
      expect(await inFeed()).toBe(false);
    });
  });
});

describeEachDialect('scheduled publishing and embargo', (dialect) => {
  const { t, editor } = useTestApp(dialect, { roles: ['editor'] });
  // The clock moves hours ahead here: a token signed now is valid at the time it is used.
  const desk = () => ({ Authorization: `Bearer ${t.container.tokens.sign(editor.user.id, editor.sessionId)}` });

  const isInFeed = async (http: () => import('supertest').Agent, id: string) =>
    (await http().get('/v1/feed').expect(200)).body.items.some((i: { article: { id: string } | null }) => i.article?.id === id);

  it('when scheduled, then it and its feed item are public from exactly publishAt, not a millisecond before', async () => {
    const draft = await createDraft(t, { title: 'Выйдет в полдень' });
    const publishAt = new Date(t.clock.now().getTime() + 3 * hour);
    const scheduled = await t
      .http()
      .post(`/v1/admin/articles/${draft.id}/publish`)
      .set(desk())
      .set('If-Match', '"1"')
      .send({ publishAt: publishAt.toISOString() })
      .expect(200);
    expect(scheduled.body).toMatchObject({ status: 'scheduled', publishedAt: publishAt.toISOString() });

    t.clock.set(new Date(publishAt.getTime() - 1));
    await t.http().get(`/v1/articles/${draft.slug}`).expect(404);
    expect((await t.http().get('/v1/articles').expect(200)).body.items.map((a: { id: string }) => a.id)).not.toContain(draft.id);
    expect(await isInFeed(t.http, draft.id)).toBe(false);

    t.clock.set(publishAt);
    expect((await t.http().get(`/v1/articles/${draft.slug}`).expect(200)).body.publishedAt).toBe(publishAt.toISOString());
    expect((await t.http().get('/v1/articles').expect(200)).body.items.map((a: { id: string }) => a.id)).toContain(draft.id);
    expect(await isInFeed(t.http, draft.id)).toBe(true);
    // The desk sees it as published once its time has come.
    expect((await t.http().get(`/v1/admin/articles/${draft.id}`).set(desk()).expect(200)).body.status).toBe('published');
  });

  it('when the server restarts between scheduling and the time, then the article still goes public on time', async () => {
    const draft = await createDraft(t, { title: 'Переживёт перезапуск' });
    const publishAt = new Date(t.clock.now().getTime() + hour);
    await t
      .http()
      .post(`/v1/admin/articles/${draft.id}/publish`)
      .set(desk())
      .set('If-Match', '"1"')
      .send({ publishAt: publishAt.toISOString() })
      .expect(200);
    await t.restart();
    await t.http().get(`/v1/articles/${draft.slug}`).expect(404);
    t.clock.set(publishAt);
    await t.http().get(`/v1/articles/${draft.slug}`).expect(200);
    expect(await isInFeed(t.http, draft.id)).toBe(true);
  });

  it('when two instances share the database, then both show the article from the same moment', async () => {
    const draft = await createDraft(t, { title: 'Два сервера' });
    const publishAt = new Date(t.clock.now().getTime() + hour);
    await t
      .http()
      .post(`/v1/admin/articles/${draft.id}/publish`)
      .set(desk())
      .set('If-Match', '"1"')
      .send({ publishAt: publishAt.toISOString() })
      .expect(200);
    const other = t.startInstance();
    for (const at of [publishAt.getTime() - 1, publishAt.getTime()]) {
      t.clock.set(new Date(at));
      other.clock.set(new Date(at));
      const [here, there] = await Promise.all([t.http().get(`/v1/articles/${draft.slug}`), other.http().get(`/v1/articles/${draft.slug}`)]);
      expect([here.status, there.status]).toEqual(at < publishAt.getTime() ? [404, 404] : [200, 200]);
      expect([await isInFeed(t.http, draft.id), await isInFeed(other.http, draft.id)]).toEqual([
        at >= publishAt.getTime(),
        at >= publishAt.getTime(),
      ]);
    }
  });

  it('when rescheduled or unpublished before its time, then it does not go public at the first time', async () => {
    const draft = await createDraft(t, { title: 'Перенесли' });
    const first = new Date(t.clock.now().getTime() + hour);
    const later = new Date(t.clock.now().getTime() + 2 * hour);
    await t
      .http()
      .post(`/v1/admin/articles/${draft.id}/publish`)
      .set(desk())
      .set('If-Match', '"1"')
      .send({ publishAt: first.toISOString() })
      .expect(200);
    await t
      .http()
      .post(`/v1/admin/articles/${draft.id}/publish`)
      .set(desk())
      .set('If-Match', '"2"')
      .send({ publishAt: later.toISOString() })
      .expect(200);
    t.clock.set(first);
    await t.http().get(`/v1/articles/${draft.slug}`).expect(404);
    expect(await isInFeed(t.http, draft.id)).toBe(false);
    await t.http().post(`/v1/admin/articles/${draft.id}/unpublish`).set(desk()).set('If-Match', '"3"').expect(200);
    t.clock.set(later);
    await t.http().get(`/v1/articles/${draft.slug}`).expect(404);
    expect(await isInFeed(t.http, draft.id)).toBe(false);
  });

  it('when published under embargo, then neither the article nor its feed item is public until the embargo lifts', async () => {
    const embargoUntil = new Date(t.clock.now().getTime() + 2 * hour);
    const draft = await createDraft(t, { title: 'Под эмбарго', embargoUntil: embargoUntil.toISOString() });
    const published = await t.http().post(`/v1/admin/articles/${draft.id}/publish`).set(desk()).set('If-Match', '"1"').expect(200);
    expect(published.body).toMatchObject({ status: 'published', embargoUntil: embargoUntil.toISOString() });
    t.clock.set(new Date(embargoUntil.getTime() - 1));
    await t.http().get(`/v1/articles/${draft.slug}`).expect(404);
    expect(await isInFeed(t.http, draft.id)).toBe(false);
    await t.restart();
    t.clock.set(embargoUntil);
    await t.http().get(`/v1/articles/${draft.slug}`).expect(200);
    expect(await isInFeed(t.http, draft.id)).toBe(true);
  });

  it('when an embargo is set on a published article, then it leaves the public API until then', async () => {
    const draft = await createDraft(t, { title: 'Эмбарго задним числом' });
    await t.http().post(`/v1/admin/articles/${draft.id}/publish`).set(desk()).set('If-Match', '"1"').expect(200);
    await t.http().get(`/v1/articles/${draft.slug}`).expect(200);
    const until = new Date(t.clock.now().getTime() + hour).toISOString();
    await t.http().patch(`/v1/admin/articles/${draft.id}`).set(desk()).set('If-Match', '"2"').send({ embargoUntil: until }).expect(200);
    await t.http().get(`/v1/articles/${draft.slug}`).expect(404);
    t.clock.set(until);
    await t.http().get(`/v1/articles/${draft.slug}`).expect(200);
  });
});

describe('preview links', () => {
  const { t, editor } = useTestApp('sqlite', { env: { PREVIEW_TTL_SECONDS: '600' }, roles: ['editor'] });

  it('when an editor asks for a preview of a draft, then the link shows it in the public shape, uncached, while it stays unpublished', async () => {
    const draft = await createDraft(t, { title: 'Черновик для просмотра', lead: 'Лид черновика' });
    const link = await t.http().post(`/v1/admin/articles/${draft.id}/preview`).set(editor.headers).expect(201);
    expect(link.body.url).toBe(`/v1/preview/${link.body.token}`);
    expect(link.body.expiresAt).toBe(new Date(t.clock.now().getTime() + 600_000).toISOString());
    const shown = await t.http().get(link.body.url).expect(200);
    expect(shown.body).toMatchObject({ id: draft.id, title: 'Черновик для просмотра', lead: 'Лид черновика' });
    expect(shown.body.status).toBeUndefined();
    expect(shown.headers['cache-control']).toBe('no-store');
    expect(shown.headers['x-robots-tag']).toContain('noindex');
    await t.http().get(`/v1/articles/${draft.slug}`).expect(404);
    expect((await t.container.services.articles.get(draft.id, adminActor)).status).toBe('draft');
  });

  it('when the draft changes, then the same link shows the new text', async () => {
    const draft = await createDraft(t, { title: 'Меняется' });
    const link = (await t.http().post(`/v1/admin/articles/${draft.id}/preview`).set(editor.headers).expect(201)).body;
    await t
      .http()
      .patch(`/v1/admin/articles/${draft.id}`)
      .set(editor.headers)
      .set('If-Match', '"1"')
      .send({ lead: 'Свежий лид' })
      .expect(200);
    expect((await t.http().get(link.url).expect(200)).body.lead).toBe('Свежий лид');
  });

  it('when the link has expired, is altered, or is an access token, then 404', async () => {
    const draft = await createDraft(t, { title: 'Истекает' });
    const link = (await t.http().post(`/v1/admin/articles/${draft.id}/preview`).set(editor.headers).expect(201)).body;
    await t
      .http()
      .get(`/v1/preview/${link.token.slice(0, -2)}xx`)
      .expect(404);
    await t.http().get(`/v1/preview/${editor.token}`).expect(404);
    t.clock.advance(600_000 + 1000);
    const expired = await t.http().get(link.url).expect(404);
    expect(expired.type).toBe('application/problem+json');
  });

  it("when an author asks for a preview of someone else's article, then it is not found; of a trashed one, 409", async () => {
    const author = await t.signIn('author');
    const draft = await createDraft(t, { title: 'Не моё' });
    await t.http().post(`/v1/admin/articles/${draft.id}/preview`).set(author.headers).expect(404);
    await t.http().delete(`/v1/admin/articles/${draft.id}`).set(editor.headers).set('If-Match', '"1"').expect(204);
    expect((await t.http().post(`/v1/admin/articles/${draft.id}/preview`).set(editor.headers).expect(409)).body.code).toBe(
      'article_in_trash',
    );
  });

  it('when a previewed article is trashed, then the link stops showing it', async () => {
    const draft = await createDraft(t, { title: 'В корзину после ссылки' });
    const link = (await t.http().post(`/v1/admin/articles/${draft.id}/preview`).set(editor.headers).expect(201)).body;
    await t.http().delete(`/v1/admin/articles/${draft.id}`).set(editor.headers).set('If-Match', '"1"').expect(204);
    await t.http().get(link.url).expect(404);
  });
});

import { afterAll, afterEach, expect, it, vi } from 'vitest';
import { mp3DurationSeconds } from '../../src/modules/narration/narration.audio.ts';
import { adminActor, createMedia, paragraph } from '../articles/article-fixtures.ts';
import { describeEachDialect, useTestApp, type TestApp } from '../support/test-app.ts';
import type { ArticleResponse } from '../../src/modules/articles/articles.schemas.ts';
import { startFakeVoice } from './fake-voice.ts';

const voice = await startFakeVoice();
afterAll(() => voice.close());

const debounceSeconds = 30;
const narrationEnv = {
  NARRATION_WORKER: 'on',
  NARRATION_DEFAULT: 'auto',
  NARRATION_PROVIDER: 'http',
  NARRATION_HTTP_URL: voice.url,
  NARRATION_HTTP_KEY: 'test-voice-key',
  NARRATION_VOICE: 'alena',
  NARRATION_HTTP_TIMEOUT_MS: '3000',
  NARRATION_HTTP_RETRIES: '1',
  NARRATION_MAX_ATTEMPTS: '2',
  NARRATION_RETRY_BASE_SECONDS: '600',
  NARRATION_DEBOUNCE_SECONDS: String(debounceSeconds),
  NARRATION_POLL_INTERVAL_MS: '20',
};

const waitUntil = (check: () => void | Promise<void>) => vi.waitFor(check, { timeout: 15_000, interval: 20 });

const secretPassage = 'Этот абзац — для внутреннего пользования, его не читают вслух.';
const body = [
  paragraph('Городская дума утвердила бюджет: расходы на ремонт дорог вырастут на 12%.'),
  { type: 'paragraph' as const, text: secretPassage, speak: false },
  { type: 'quote' as const, text: 'Мы впервые за десять лет ремонтируем набережную целиком.', attribution: 'Ирина Полякова' },
  { type: 'image' as const, mediaId: 'set-below', caption: 'Подпись к фото не читают' },
  { type: 'list' as const, style: 'bulleted' as const, items: ['Две новые школы', 'Ремонт 40 км дорог'] },
];

describeEachDialect('generated narration', (dialect) => {
  const { t, editor } = useTestApp(dialect, { env: narrationEnv, roles: ['editor'], mediaDir: true });
  // Tests move the clock far; a token signed now is always fresh.
  const auth = () => ({ Authorization: `Bearer ${t.container.tokens.sign(editor.user.id, editor.sessionId)}` });

  afterEach(() => voice.reset());

  const adminArticle = async (app: TestApp, id: string): Promise<ArticleResponse> =>
    (await app.http().get(`/v1/admin/articles/${id}`).set(auth())).body;
  const untilState = async (app: TestApp, id: string, state: string, andThen: (article: ArticleResponse) => void = () => undefined) => {
    let article = {} as ArticleResponse;
    await waitUntil(async () => {
      article = await adminArticle(app, id);
      expect(article.narrationStatus).toMatchObject({ state });
      // Prisma reads the status (a relation) in a statement of its own after the article's: on PostgreSQL the two can
      // straddle the job's commit, so a 'ready' status may come with the article row of just before it.
      if (state === 'ready') expect(article.narrationMediaId).not.toBeNull();
      andThen(article);
    });
    return article;
  };

  async function draftWithPhoto(title: string, extra: Record<string, unknown> = {}) {
    const photo = await createMedia(t, 'image');
    const blocks = body.map((b) => (b.type === 'image' ? { ...b, mediaId: photo.id } : b));
    return t.container.services.articles.create({ title, lead: 'Расходы вырастут на 7%.', body: blocks, ...extra }, adminActor);
  }

  const ifMatch = async (id: string) => ({ 'If-Match': `"${(await adminArticle(t, id)).version}"` });

  async function publish(id: string) {
    const res = await t
      .http()
      .post(`/v1/admin/articles/${id}/publish`)
      .set(auth())
      .set(await ifMatch(id))
      .send({});
    expect(res.status).toBe(200);
    return res.body;
  }

  it('when an article is published, then one job reads its text (not blocks marked speak: false) and the narration becomes ready', async () => {
    const draft = await draftWithPhoto('Бюджет города утверждён');
    expect(draft.narrationStatus.state).toBe('none');
    const published = await publish(draft.id);
    expect(['queued', 'processing', 'ready']).toContain(published.narrationStatus.state);
    const ready = await untilState(t, draft.id, 'ready');

    expect(voice.requests).toHaveLength(1);
    const sent = voice.requests[0]!;
    expect(sent.headers.authorization).toBe('Bearer test-voice-key');
    expect(sent.body).toMatchObject({ voice: 'alena', format: 'mp3' });
    expect(sent.body.text).toContain('Бюджет города утверждён');
    expect(sent.body.text).toContain('двенадцать процентов');
    expect(sent.body.text).toContain('Ирина Полякова');
    expect(sent.body.text).toContain('сорок километров');
    expect(sent.body.text).not.toContain('внутреннего пользования');
    expect(sent.body.text).not.toContain('Подпись к фото');
    expect(sent.body.ssml).toMatch(/^<speak xml:lang="ru/);

    expect(ready.narrationStatus).toMatchObject({ provider: 'http', voice: 'alena', error: null });
    expect(ready.narrationStatus.textHash).toMatch(/^[0-9a-f]{64}$/);
    expect(ready.narrationStatus.durationSeconds).toBeGreaterThan(1);
    const media = await t.container.services.media.get(ready.narrationMediaId!);
    expect(media).toMatchObject({ kind: 'audio', source: 'tts', credit: 'Синтезированная речь', mimeType: 'audio/mpeg' });

    const file = await t.http().get(new URL(media.url, 'http://x').pathname).set('Range', 'bytes=0-99');
    expect(file.status).toBe(206);
    const whole = await t.http().get(new URL(media.url, 'http://x').pathname).buffer(true);
    expect(mp3DurationSeconds(whole.body)).toBeCloseTo(ready.narrationStatus.durationSeconds!, 0);

    const page = await t.http().get(`/v1/articles/${ready.slug}`);
    expect(page.body.narration).toMatchObject({ id: ready.narrationMediaId, durationSeconds: media.durationSeconds });
    const events = await t.container.db.prisma.webhookEvent.findMany({ where: { type: 'article.narrated', entityId: draft.id } });
    expect(events).toHaveLength(1);
  });

  it('when a tag changes, nothing is narrated again; when the text changes ten times, the narration is stale until one new job makes it ready', async () => {
    const draft = await draftWithPhoto('Трамвайный парк обновят');
    await publish(draft.id);
    const first = await untilState(t, draft.id, 'ready');
    voice.reset();

    const tag = await t.container.services.tags.create({ name: 'Транспорт' }, adminActor);
    const tagged = await t
      .http()
      .patch(`/v1/admin/articles/${draft.id}`)
      .set(auth())
      .set(await ifMatch(draft.id))
      .send({ tagIds: [tag.id] });
    expect(tagged.status).toBe(200);
    expect(tagged.body.narrationStatus).toMatchObject({ state: 'ready', textHash: first.narrationStatus.textHash });

    for (let i = 1; i <= 10; i++) {
      const saved = await t
        .http()
        .patch(`/v1/admin/articles/${draft.id}`)
        .set(auth())
        .set(await ifMatch(draft.id))
        .send({ lead: `Вагонов станет больше: правка номер ${i}.` });
      expect(saved.status).toBe(200);
      expect(saved.body.narrationStatus.state).toBe('stale');
    }
    // Within the debounce nothing is synthesised; the old audio stays the narration.
    await t.container.narration.worker!.nextPass();
    expect(voice.requests).toHaveLength(0);
    const stale = await adminArticle(t, draft.id);
    expect(stale.narrationMediaId).toBe(first.narrationMediaId);

    t.clock.advance((debounceSeconds + 1) * 1000);
    t.container.narration.worker!.wake();
    // The same straddle: a new 'ready' may come with the previous audio's id for a moment.
    const again = await untilState(t, draft.id, 'ready', (article) => expect(article.narrationMediaId).not.toBe(first.narrationMediaId));
    expect(voice.requests).toHaveLength(1);
    expect(voice.requests[0]!.body.text).toContain('правка номер десять');
    expect(again.narrationStatus.textHash).not.toBe(first.narrationStatus.textHash);
    expect(again.narrationMediaId).not.toBe(first.narrationMediaId);
  });

  it('when a narration was set by hand, then publishing queues nothing and a requested narration does not replace it', async () => {
    const handMade = await createMedia(t, 'audio');
    const draft = await draftWithPhoto('Интервью с директором филармонии', { narrationMediaId: handMade.id });
    const published = await publish(draft.id);
    expect(published.narrationStatus.state).toBe('none');

    const requested = await t.http().post(`/v1/admin/articles/${draft.id}/narration`).set(auth());
    expect(requested.status).toBe(202);
    expect(requested.body.articleId).toBe(draft.id);
    const ready = await untilState(t, draft.id, 'ready');
    expect(ready.narrationMediaId).toBe(handMade.id);
    expect(voice.requests).toHaveLength(1);
    const audit = await t.container.db.prisma.auditEvent.findMany({ where: { action: 'article.narrate', targetId: draft.id } });
    expect(audit).toHaveLength(1);
  });

  it('when a rubric says off, its articles are not narrated unless their own setting says auto; the dictionary is read as editors wrote it', async () => {
    const quiet = await t.http().post('/v1/admin/rubrics').set(auth()).send({ name: 'Объявления', narration: 'off' });
    expect(quiet.status).toBe(201);
    expect(quiet.body.narration).toBe('off');
    const unread = await draftWithPhoto('Расписание приёма граждан', { rubricId: quiet.body.id });
    expect((await publish(unread.id)).narrationStatus.state).toBe('none');

    const dictionary = await t.http().post('/v1/admin/pronunciations').set(auth()).send({ term: 'Заречье', spoken: 'За-речье' });
    expect(dictionary.status).toBe(201);
    const read = await draftWithPhoto('Новый мост в Заречье', { rubricId: quiet.body.id, narration: 'auto' });
    expect(read.narration).toBe('auto');
    await publish(read.id);
    await untilState(t, read.id, 'ready');
    expect(voice.requests).toHaveLength(1);
    expect(voice.requests[0]!.body.text).toContain('Новый мост в За-речье');
  });

  it('authors may not request a narration; an article in no one’s reach answers 404', async () => {
    const draft = await draftWithPhoto('Черновик без озвучки');
    const author = await t.signIn('author');
    expect((await t.http().post(`/v1/admin/articles/${draft.id}/narration`).set(author.headers)).status).toBe(403);
    expect((await t.http().post('/v1/admin/articles/no-such-article/narration').set(auth())).status).toBe(404);
  });

  it('when the voice service does not answer in time or answers 5xx, then the job is retried with back-off and finally fails', async () => {
    const draft = await draftWithPhoto('Отключение воды в Заречье', { narration: 'off' });
    voice.answerWith(() => ({ kind: 'hang', delayMs: 8000 }));
    expect((await t.http().post(`/v1/admin/articles/${draft.id}/narration`).set(auth())).status).toBe(202);
    const waiting = await untilState(t, draft.id, 'queued');
    expect(waiting.narrationStatus.error).toMatch(/did not answer within 3000 ms/);
    // One retry within the attempt (NARRATION_HTTP_RETRIES=1).
    expect(voice.requests).toHaveLength(2);

    voice.answerWith(() => ({ kind: 'status', status: 503 }));
    t.clock.advance(601_000);
    t.container.narration.worker!.wake();
    const failed = await untilState(t, draft.id, 'failed');
    expect(failed.narrationStatus.error).toMatch(/answered 503/);
    expect(failed.narrationMediaId).toBeNull();

    voice.reset();
    voice.answerWith(() => ({ kind: 'status', status: 400 }));
    expect((await t.http().post(`/v1/admin/articles/${draft.id}/narration`).set(auth())).status).toBe(202);
    await waitUntil(async () => expect((await adminArticle(t, draft.id)).narrationStatus.error).toMatch(/answered 400/));
    // A 4xx is not tried again within the attempt.
    expect(voice.requests).toHaveLength(1);
  });

  it('when the worker is killed holding a job, another takes it over after the lease; a restart loses no job', async () => {
    const draft = await draftWithPhoto('Новый маршрут автобуса', { narration: 'off' });
    await t.container.narration.worker!.stop();
    expect((await t.http().post(`/v1/admin/articles/${draft.id}/narration`).set(auth())).status).toBe(202);
    // As if a worker had claimed it and been killed (kill -9): its lease is running out.
    await t.container.db.prisma.articleNarration.update({
      where: { articleId: draft.id },
      data: { lockedBy: 'killed-host:1:dead', lockedUntil: new Date(t.clock.now().getTime() + 60_000), state: 'processing' },
    });
    await t.restart();
    await t.container.narration.worker!.nextPass();
    expect(voice.requests).toHaveLength(0);
    t.clock.advance(61_000);
    t.container.narration.worker!.wake();
    await untilState(t, draft.id, 'ready');
    expect(voice.requests).toHaveLength(1);
  });

  it('when two instances run workers, then a job runs once', async () => {
    const other = t.startInstance(t.clock);
    const draft = await draftWithPhoto('Два сервера, одна озвучка', { narration: 'off' });
    expect((await other.http().post(`/v1/admin/articles/${draft.id}/narration`).set(auth())).status).toBe(202);
    t.container.narration.worker!.wake();
    other.container.narration.worker!.wake();
    await untilState(t, draft.id, 'ready');
    await Promise.all([t.container.narration.worker!.nextPass(), other.container.narration.worker!.nextPass()]);
    expect(voice.requests).toHaveLength(1);
  });

  it('the public article carries speakable and audio JSON-LD', async () => {
    const draft = await draftWithPhoto('Фестиваль уличного кино');
    await publish(draft.id);
    const ready = await untilState(t, draft.id, 'ready');
    const page = await t.http().get(`/v1/articles/${ready.slug}`);
    expect(page.status).toBe(200);
    const jsonLd = page.body.jsonLd;
    expect(jsonLd.speakable).toEqual({
      '@type': 'SpeakableSpecification',
      cssSelector: ['[data-speakable="headline"]', '[data-speakable="lead"]'],
    });
    expect(jsonLd.audio).toMatchObject({ '@type': 'AudioObject', encodingFormat: 'audio/mpeg' });
    expect(jsonLd.audio.duration).toMatch(/^PT(\d+M)?\d+S$/);
  });
});

import { randomBytes } from 'node:crypto';
import { expect, it } from 'vitest';
import { describeEachDialect, useTestApp } from '../support/test-app.ts';

// Media a published or scheduled article shows is public: changing it is publishing, whoever added it.
describeEachDialect('changing media that public articles show', (dialect) => {
  const { t, admin, editor, author, mediaKey, writerKey, publisherKey } = useTestApp(dialect, {
    mediaDir: true,
    roles: ['admin', 'editor', 'author'],
    keys: { mediaKey: ['media'], writerKey: ['write', 'media'], publisherKey: ['media', 'publish'] },
  });
  const prisma = () => t.container.db.prisma;

  /** A PDF added by the author (so the author-owns rule alone would let them change it). */
  async function authorsMedia(): Promise<{ id: string; version: number }> {
    const pdf = Buffer.concat([Buffer.from('%PDF-1.4\n%'), randomBytes(300)]);
    const res = await t
      .http()
      .post('/v1/admin/media/upload')
      .set(author.headers)
      .set('Content-Type', 'application/pdf')
      .send(pdf)
      .expect(201);
    return res.body;
  }
  async function articleUsing(mediaId: string, status: 'draft' | 'published' | 'scheduled', use: 'cover' | 'body' | 'narration') {
    const publishedAt =
      status === 'scheduled' ? new Date(t.clock.now().getTime() + 86_400_000) : status === 'published' ? t.clock.now() : null;
    await prisma().article.create({
      data: {
        title: `Статья ${randomBytes(3).toString('hex')}`,
        slug: `statya-${randomBytes(6).toString('hex')}`,
        body: [],
        keyPoints: [],
        searchText: '',
        status,
        publishedAt,
        ...(use === 'cover' ? { coverMediaId: mediaId } : {}),
        ...(use === 'narration' ? { narrationMediaId: mediaId } : {}),
        ...(use === 'body' ? { bodyMedia: { create: { mediaId } } } : {}),
      },
    });
  }
  const patch = (id: string, headers: Record<string, string>) =>
    t
      .http()
      .patch(`/v1/admin/media/${id}`)
      .set(headers)
      .set('If-Match', '*')
      .send({ caption: `Подпись ${randomBytes(2).toString('hex')}` });
  const remove = (id: string, headers: Record<string, string>) =>
    t.http().delete(`/v1/admin/media/${id}`).set(headers).set('If-Match', '*');

  for (const [status, use] of [
    ['published', 'cover'],
    ['scheduled', 'body'],
    ['published', 'narration'],
  ] as const) {
    it(`when the media is the ${use} of a ${status} article, then its author and media or write keys get 403; publishers may`, async () => {
      const media = await authorsMedia();
      await articleUsing(media.id, status, use);
      for (const caller of [author, mediaKey, writerKey]) {
        const refused = await patch(media.id, caller.headers).expect(403);
        expect(refused.body).toMatchObject({ code: 'forbidden', detail: expect.stringMatching(/published or scheduled article/) });
        await remove(media.id, caller.headers).expect(403);
      }
      expect((await prisma().media.findUniqueOrThrow({ where: { id: media.id } })).version).toBe(1);
      for (const caller of [editor, admin, publisherKey]) await patch(media.id, caller.headers).expect(200);
      // Still in use: those who may change it are told so (409), not refused.
      await remove(media.id, editor.headers).expect(409);
    });
  }

  it('when the media is used only by drafts or by nothing, then its author and a media key keep full access', async () => {
    const inDraft = await authorsMedia();
    await articleUsing(inDraft.id, 'draft', 'cover');
    await patch(inDraft.id, author.headers).expect(200);
    await patch(inDraft.id, mediaKey.headers).expect(200);
    await remove(inDraft.id, author.headers).expect(409);

    const unused = await authorsMedia();
    await patch(unused.id, mediaKey.headers).expect(200);
    await remove(unused.id, author.headers).expect(204);
    const another = await authorsMedia();
    await remove(another.id, mediaKey.headers).expect(204);
  });
});

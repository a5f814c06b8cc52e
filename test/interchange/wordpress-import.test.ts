import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import sharp from 'sharp';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { Actor } from '../../src/shared/actor.ts';
import type { ImportResultLine } from '../../src/shared/incoming-article.ts';
import { describeEachDialect, useTestApp } from '../support/test-app.ts';

const fixture = readFileSync(new URL('../fixtures/wordpress/export.xml', import.meta.url), 'utf8');
const oldSite = 'vesti-zarechya.example';

describeEachDialect('WordPress import', (dialect) => {
  const { t, admin, editor } = useTestApp(dialect, {
    roles: ['admin', 'editor'],
    env: { WIRE_ALLOW_PRIVATE: 'true' },
    mediaDir: true,
  });
  const asAdmin = (): Actor => ({ type: 'user', userId: admin.user.id, role: 'admin' });
  const prisma = () => t.container.db.prisma;

  // The old site's uploads, served by the test: every .jpg is a picture of its own colour; requests are counted.
  let mediaServer: Server;
  let mediaBase = '';
  const hits: string[] = [];
  beforeAll(async () => {
    mediaServer = createServer(async (req, res) => {
      const path = req.url ?? '';
      hits.push(path);
      if (!path.endsWith('.jpg')) return void res.writeHead(404).end();
      const shade = [...path].reduce((sum, char) => (sum * 31 + char.charCodeAt(0)) % 255, 7);
      const jpeg = await sharp({ create: { width: 48, height: 32, channels: 3, background: { r: shade, g: 120, b: 255 - shade } } })
        .jpeg()
        .toBuffer();
      res.writeHead(200, { 'content-type': 'image/jpeg' }).end(jpeg);
    });
    await new Promise<void>((resolve) => mediaServer.listen(0, '127.0.0.1', resolve));
    mediaBase = `http://127.0.0.1:${(mediaServer.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => mediaServer.close(() => resolve())));

  /** The fixture with its media on the test's server (and, for a second site, another host). */
  const exportFile = (host = oldSite) => fixture.replaceAll('http://wp-media.test', mediaBase).replaceAll(oldSite, host);

  async function importExport(body: string, query = '', headers: Record<string, string> = admin.headers) {
    const res = await t.http().post(`/v1/admin/import/wordpress${query}`).set(headers).set('Content-Type', 'application/xml').send(body);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^application\/x-ndjson/);
    const lines = res.text
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as ImportResultLine);
    return { lines, byLine: new Map(lines.map((line) => [line.line, line])) };
  }

  const articleIds = { gutenberg: '', classic: '', draft: '' };

  it('imports posts with their blocks, rubrics, tags, authors and covers, and skips what is not a post', async () => {
    const { lines, byLine } = await importExport(exportFile());
    expect(lines).toHaveLength(6);
    expect(byLine.get(1)).toMatchObject({ status: 'created', type: 'article' });
    expect(byLine.get(2)).toMatchObject({ status: 'skipped', type: 'attachment' });
    expect(byLine.get(3)).toMatchObject({ status: 'created', type: 'article' });
    expect(byLine.get(4)).toMatchObject({ status: 'created', type: 'article' });
    expect(byLine.get(5)).toMatchObject({ status: 'skipped', type: 'page' });
    expect(byLine.get(6)).toMatchObject({ status: 'skipped', type: 'article', warnings: ['the post is in the WordPress trash'] });
    // The featured image's attachment comes after its post: the post waited for it.
    expect(lines.findIndex((line) => line.line === 2)).toBeLessThan(lines.findIndex((line) => line.line === 1));
    for (const line of lines) expect(line.error ?? null).toBeNull();
    articleIds.gutenberg = byLine.get(1)?.id as string;
    articleIds.classic = byLine.get(3)?.id as string;
    articleIds.draft = byLine.get(4)?.id as string;

    // The Gutenberg post: published (as it was there), its blocks converted, its cover fetched.
    const gutenberg = await t.container.services.articles.get(articleIds.gutenberg, asAdmin());
    expect(gutenberg).toMatchObject({
      status: 'published',
      publishedAt: '2024-08-20T07:30:00.000Z',
      slug: 'shkola-4-otkroetsya',
      origin: 'wordpress',
      source: `wordpress:${oldSite}`,
      externalId: `https://${oldSite}/?p=101`,
      title: 'Школа № 4 откроется после ремонта к первому сентября',
      lead: 'Ремонт школы № 4 закончен: здание откроется к\u00a0учебному году.',
    });
    expect(gutenberg.body.map((block) => block.type)).toEqual(['paragraph', 'heading', 'quote', 'list', 'image']);
    expect(gutenberg.body[1]).toEqual({ type: 'heading', level: 3, text: 'Что успели сделать' });
    expect(gutenberg.body[2]).toEqual({
      type: 'quote',
      text: 'Мы заменили окна, кровлю и все инженерные сети, а во дворе появился стадион.',
      attribution: 'Ольга Соколова, директор школы',
    });
    expect(gutenberg.body[3]).toEqual({
      type: 'list',
      style: 'bulleted',
      items: ['новые окна и кровля', 'столовая на 200 мест', 'спортивная площадка во дворе'],
    });
    expect(gutenberg.body[4]).toMatchObject({ type: 'image', caption: 'Новый стадион во дворе школы' });
    const cover = await prisma().media.findUnique({ where: { id: gutenberg.coverMediaId as string } });
    expect(cover).toMatchObject({
      originUrl: `${mediaBase}/wp-content/uploads/2024/08/shkola-fasad.jpg`,
      altText: 'Отремонтированный фасад школы',
    });

    // Categories are rubrics under their parents; tags are tags (a percent-encoded Cyrillic slug transliterated).
    const rubric = await t.container.services.rubrics.get(gutenberg.rubricId as string);
    expect(rubric).toMatchObject({ slug: 'obrazovanie', name: 'Образование' });
    const parent = await t.container.services.rubrics.get(rubric.parentId as string);
    expect(parent).toMatchObject({ slug: 'obshchestvo', name: 'Общество', parentId: null });
    const tag = await t.container.services.tags.get(gutenberg.tagIds[0] as string);
    expect(tag).toMatchObject({ slug: 'shkoly', name: 'школы' });

    // The classic post: autop paragraphs, the [caption] image, the quote and the h4 as a level-3 heading.
    const classic = await t.container.services.articles.get(articleIds.classic, asAdmin());
    expect(classic.status).toBe('published');
    expect(classic.body.map((block) => block.type)).toEqual(['paragraph', 'paragraph', 'image', 'quote', 'heading', 'list']);
    expect(classic.body[0]).toMatchObject({
      type: 'paragraph',
      text: 'Новый пешеходный мост соединил набережную и\u00a0парк\u00a0«Заречный». Строители сдали его на две недели раньше срока.',
    });
    expect(classic.body[2]).toMatchObject({ type: 'image', caption: 'Мост через Заречку в день открытия' });
    expect(classic.body[3]).toEqual({
      type: 'quote',
      text: 'Теперь до парка можно дойти за пять минут.',
      attribution: 'Житель набережной',
    });
    expect(classic.body[4]).toEqual({ type: 'heading', level: 3, text: 'Расписание подсветки' });
    expect(classic.body[5]).toMatchObject({ type: 'list', style: 'numbered' });
    expect(classic.slug).toBe('most-otkryli');
    expect((await t.container.services.rubrics.get(classic.rubricId as string)).slug).toBe('gorod');
    expect((await t.container.services.tags.get(classic.tagIds[0] as string)).slug).toBe('mosty');
    // The full-size image the thumbnail linked to was fetched, not the thumbnail.
    expect(hits).toContain('/wp-content/uploads/2024/09/most.jpg');
    expect(hits).not.toContain('/wp-content/uploads/2024/09/most-640x427.jpg');

    // The draft stays a draft.
    const draft = await t.container.services.articles.get(articleIds.draft, asAdmin());
    expect(draft).toMatchObject({ status: 'draft', publishedAt: null });
    expect((await t.container.services.rubrics.get(draft.rubricId as string)).slug).toBe('obshchestvo');
  });

  it('makes the authors disabled accounts without passwords, shared by their posts', async () => {
    const gutenberg = await t.container.services.articles.get(articleIds.gutenberg, asAdmin());
    const draft = await t.container.services.articles.get(articleIds.draft, asAdmin());
    expect(draft.authorIds).toEqual(gutenberg.authorIds);
    const author = await t.container.services.users.get(gutenberg.authorIds[0] as string);
    expect(author).toMatchObject({
      role: 'author',
      isActive: false,
      displayName: 'Мария Иванова',
      email: 'm.ivanova@vesti-zarechya.example',
    });
    const login = await t
      .http()
      .post('/v1/auth/login')
      .send({ email: 'm.ivanova@vesti-zarechya.example', password: 'whatever-she-used-there' });
    expect(login.status).toBe(401);
    const classic = await t.container.services.articles.get(articleIds.classic, asAdmin());
    expect((await t.container.services.users.get(classic.authorIds[0] as string)).displayName).toBe('Пётр Петров');
  });

  it('answers the old addresses of published posts with a 301 to their address here', async () => {
    const redirect = (path: string) => t.http().get('/v1/redirects').query({ path });
    const permalink = await redirect('/2024/08/20/shkola-4-otkroetsya/');
    expect(permalink.status).toBe(301);
    expect(permalink.headers.location).toBe('/v1/articles/shkola-4-otkroetsya');
    expect(permalink.headers['cache-control']).toMatch(/^public, max-age=\d+/);
    expect(permalink.headers['surrogate-key']).toBe(`article:${articleIds.gutenberg}`);
    // The same address spelled otherwise: no trailing slash, the whole URL, the shortlink.
    expect((await redirect('/2024/08/20/shkola-4-otkroetsya')).headers.location).toBe('/v1/articles/shkola-4-otkroetsya');
    expect((await redirect(`https://${oldSite}/2024/08/20/shkola-4-otkroetsya/`)).status).toBe(301);
    expect((await redirect('/?p=101')).headers.location).toBe('/v1/articles/shkola-4-otkroetsya');
    // A Cyrillic permalink, its escapes in upper case as browsers send them.
    const cyrillic = await redirect('/2024/09/%D0%BC%D0%BE%D1%81%D1%82-%D0%BE%D1%82%D0%BA%D1%80%D1%8B%D0%BB%D0%B8/');
    expect(cyrillic.status).toBe(301);
    expect(cyrillic.headers.location).toBe('/v1/articles/most-otkryli');
    const page = await t.http().get(cyrillic.headers.location as string);
    expect(page.status).toBe(200);
    expect(page.body.title).toBe('Пешеходный мост через Заречку открыли раньше срока');
    // A draft had no public address; an unknown path is unknown.
    expect((await redirect('/?p=104')).status).toBe(404);
    expect((await redirect('/2019/05/nothing-here/')).status).toBe(404);
    expect((await redirect('not-a-path')).status).toBe(404);

    // Unpublished here, the old address stops leading to it; published again, it leads there again.
    const current = await t.container.services.articles.get(articleIds.classic, asAdmin());
    await t.container.services.articles.unpublish(articleIds.classic, asAdmin(), current.version);
    expect((await redirect('/?p=103')).status).toBe(404);
    await t.container.services.articles.publish(articleIds.classic, asAdmin(), { publishedAt: new Date('2024-09-02T06:00:00Z') });
    expect((await redirect('/?p=103')).headers.location).toBe('/v1/articles/most-otkryli');
  });

  it('changes nothing when the same export is imported again', async () => {
    const before = { articles: await prisma().article.count(), media: await prisma().media.count(), fetched: hits.length };
    const { lines, byLine } = await importExport(exportFile());
    expect(lines).toHaveLength(6);
    for (const line of [1, 3, 4])
      expect(byLine.get(line)).toMatchObject({
        status: 'unchanged',
        id: articleIds[line === 1 ? 'gutenberg' : line === 3 ? 'classic' : 'draft'],
      });
    for (const line of [2, 5, 6]) expect(byLine.get(line)?.status).toBe('skipped');
    expect({ articles: await prisma().article.count(), media: await prisma().media.count(), fetched: hits.length }).toEqual(before);
  });

  it('with publish=false imports published posts as drafts, and a post modified since as an update', async () => {
    const host = 'drafts-only.example';
    const { byLine } = await importExport(exportFile(host), '?publish=false');
    const first = await t.container.services.articles.get(byLine.get(1)?.id as string, asAdmin());
    expect(first).toMatchObject({ status: 'draft', source: `wordpress:${host}` });
    // Its old addresses are those of the first site's post already: that one keeps them.
    expect(byLine.get(1)?.warnings).toEqual([expect.stringMatching(/^old addresses that lead to another article already: /)]);
    expect((await t.http().get('/v1/redirects').query({ path: '/?p=101' })).headers.location).toBe('/v1/articles/shkola-4-otkroetsya');

    const modified = exportFile(host).replace(
      '2024-09-02 06:00:00]]></wp:post_modified_gmt>',
      '2024-09-03 08:00:00]]></wp:post_modified_gmt>',
    );
    const second = await importExport(modified, '?publish=false');
    expect(second.byLine.get(3)).toMatchObject({ status: 'updated', id: byLine.get(3)?.id });
    expect(second.byLine.get(1)?.status).toBe('unchanged');
  });

  it('reports an item that is not well-formed and goes on; a file cut off keeps what was imported before', async () => {
    // The classic post loses its </item>: it is an error line, the items after it are read.
    const unclosed = exportFile('unclosed.example').replace(/(<wp:post_id>103<\/wp:post_id>[\s\S]*?)<\/item>/, '$1');
    const recovered = await importExport(unclosed);
    expect(recovered.byLine.get(3)).toMatchObject({ status: 'error', type: 'item', error: { code: 'malformed_item' } });
    expect(recovered.byLine.get(1)?.status).toBe('created');
    expect(recovered.byLine.get(4)?.status).toBe('created');
    expect(recovered.byLine.get(5)?.status).toBe('skipped');

    // The file ends in the middle of the classic post.
    const whole = exportFile('cut-off.example');
    const cut = whole.slice(0, whole.indexOf('<wp:post_id>103</wp:post_id>'));
    const { lines, byLine } = await importExport(cut);
    expect(byLine.get(1)).toMatchObject({ status: 'created', type: 'article' });
    expect(byLine.get(2)?.status).toBe('skipped');
    expect(byLine.get(3)).toMatchObject({ status: 'error', error: { code: 'malformed_item' } });
    expect(lines.at(-1)).toMatchObject({ status: 'error', type: 'export', error: { code: 'truncated' } });
    const kept = await t.container.services.articles.get(byLine.get(1)?.id as string, asAdmin());
    expect(kept).toMatchObject({ status: 'published', source: 'wordpress:cut-off.example' });
    expect(kept.coverMediaId).not.toBeNull();
    expect(await prisma().article.count({ where: { source: 'wordpress:cut-off.example' } })).toBe(1);
  });

  it('answers each item while the rest of the file is still on its way', async () => {
    const server = t.container.app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const file = exportFile('streamed.example');
      const rest = file.indexOf('<item>', file.indexOf('<wp:post_id>103</wp:post_id>'));
      const upload = request({
        host: '127.0.0.1',
        port: (server.address() as AddressInfo).port,
        method: 'POST',
        path: '/v1/admin/import/wordpress',
        headers: { ...admin.headers, 'Content-Type': 'application/xml' },
      });
      upload.write(file.slice(0, rest));
      const [res] = (await once(upload, 'response')) as [IncomingMessage];
      expect(res.statusCode).toBe(200);
      const seen: number[] = [];
      let pending = '';
      const lines = (async function* () {
        for await (const chunk of res) {
          pending += String(chunk);
          for (let end = pending.indexOf('\n'); end !== -1; end = pending.indexOf('\n')) {
            yield JSON.parse(pending.slice(0, end)) as ImportResultLine;
            pending = pending.slice(end + 1);
          }
        }
      })();
      // The first three items are answered before the rest of the file is sent.
      // Read by hand: leaving a for-await loop would close the reader.
      for (let next = await lines.next(); !next.done; next = await lines.next()) {
        seen.push(next.value.line);
        if (next.value.line === 3) break;
      }
      expect(seen).toEqual([2, 1, 3]);
      upload.end(file.slice(rest));
      const after: number[] = [];
      for await (const line of lines) after.push(line.line);
      expect(after).toEqual([4, 5, 6]);
    } finally {
      server.close();
    }
  });

  it('refuses a body that is not XML, and callers other than admins', async () => {
    const json = await t.http().post('/v1/admin/import/wordpress').set(admin.headers).set('Content-Type', 'application/json').send('{}');
    expect(json.status).toBe(415);
    expect(json.body.code).toBe('unsupported_media_type');
    const notWxr = await importExport('<html><body>not an export</body></html>');
    expect(notWxr.lines).toEqual([
      expect.objectContaining({ status: 'error', type: 'export', error: expect.objectContaining({ code: 'not_wxr' }) }),
    ]);
    const byEditor = await t
      .http()
      .post('/v1/admin/import/wordpress')
      .set(editor.headers)
      .set('Content-Type', 'application/xml')
      .send(exportFile());
    expect(byEditor.status).toBe(403);
  });
});

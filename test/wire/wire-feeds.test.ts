import { describe, expect, it } from 'vitest';
import { parseFeed } from '../../src/modules/wire/wire.feeds.ts';
import { backoffMs } from '../../src/shared/leased-worker.ts';

const context = {
  source: 'agency.example',
  rubricId: 'rubric-1',
  parseNinjs: (value: unknown) => {
    const item = value as { uri?: string; headline?: string };
    if (!item.uri) throw new Error('no uri');
    return {
      origin: 'import' as const,
      source: 'agency.example',
      externalId: item.uri,
      externalVersion: null,
      versionCreatedAt: null,
      status: 'usable' as const,
      embargoUntil: null,
      title: item.headline ?? '',
      lead: null,
      body: [],
      rubric: null,
      tags: [],
      authors: [],
      cover: null,
      publishedAt: null,
    };
  },
};

describe('wire feeds', () => {
  it('reads an RSS item without a guid by its link, leaves out one with neither, and takes its image, tags and author', () => {
    const rss = `<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel><title>Лента</title>
      <item><title>Открыт новый сквер</title><link>https://agency.example/1</link><pubDate>Fri, 20 Nov 2026 08:00:00 GMT</pubDate>
        <description><![CDATA[<p>Сквер открыли <b>утром</b>.</p>]]></description><category>Город</category>
        <author>desk@agency.example (Анна Петрова)</author>
        <media:content url="https://agency.example/1.jpg" medium="image"><media:credit>Фото агентства</media:credit></media:content></item>
      <item><title>Без адреса</title></item>
    </channel></rss>`;
    const feed = parseFeed(Buffer.from(rss), 'rss', context);
    expect(feed.problems).toEqual(['item 2: no guid or link']);
    expect(feed.items).toHaveLength(1);
    expect(feed.items[0]).toMatchObject({
      origin: 'wire',
      source: 'agency.example',
      externalId: 'https://agency.example/1',
      externalVersion: null,
      versionCreatedAt: new Date('2026-11-20T08:00:00Z'),
      title: 'Открыт новый сквер',
      lead: null,
      body: [{ type: 'paragraph', text: 'Сквер открыли утром.' }],
      rubric: { id: 'rubric-1' },
      tags: [{ name: 'Город' }],
      authors: [{ displayName: 'Анна Петрова' }],
      cover: { url: 'https://agency.example/1.jpg', credit: 'Фото агентства' },
    });
  });

  it('reads Atom text, html and xhtml content', () => {
    const atom = `<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title>
      <entry><id>urn:1</id><title>Текст</title><updated>2026-11-20T08:00:00Z</updated><content type="text">Строка &lt;без&gt; разметки</content></entry>
      <entry><id>urn:2</id><title>XHTML</title><updated>2026-11-20T08:00:00Z</updated>
        <content type="xhtml"><div xmlns="http://www.w3.org/1999/xhtml"><p>Первый абзац.</p><p>Второй абзац.</p></div></content></entry>
    </feed>`;
    const feed = parseFeed(Buffer.from(atom), 'atom', { ...context, rubricId: null });
    expect(feed.items.map((i) => i.body)).toEqual([
      [{ type: 'paragraph', text: 'Строка <без> разметки' }],
      [
        { type: 'paragraph', text: 'Первый абзац.' },
        { type: 'paragraph', text: 'Второй абзац.' },
      ],
    ]);
    expect(feed.items[0]!.rubric).toBeNull();
  });

  it('reads ninjs as an array, an items list or NDJSON, and reports the lines it cannot read', () => {
    const items = (text: string) => parseFeed(Buffer.from(text), 'ninjs', context);
    expect(items('[{"uri":"a"},{"uri":"b"}]').items.map((i) => i.externalId)).toEqual(['a', 'b']);
    expect(items('{"items":[{"uri":"c"}]}').items.map((i) => i.externalId)).toEqual(['c']);
    const ndjson = items('{"uri":"d"}\n{broken\n{"headline":"no uri"}\n{"uri":"e"}\n');
    expect(ndjson.items.map((i) => i.externalId)).toEqual(['d', 'e']);
    expect(ndjson.problems).toEqual(['line 2 is not JSON', 'item 3: no uri']);
    expect(() => items('<html></html>')).toThrow('neither JSON nor NDJSON');
  });
});

describe('back-off', () => {
  it('doubles from the base up to the bound, with jitter within its spread', () => {
    expect([1, 2, 3, 4].map((attempt) => backoffMs(attempt, { baseMs: 1000 }))).toEqual([1000, 2000, 4000, 8000]);
    expect(backoffMs(40, { baseMs: 1000, maxMs: 60_000 })).toBe(60_000);
    expect(backoffMs(1, { baseMs: 1000, jitter: 0.25, random: () => 0 })).toBe(750);
    expect(backoffMs(1, { baseMs: 1000, jitter: 0.25, random: () => 1 })).toBe(1250);
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { readWxr, type WxrEvent } from '../../src/modules/interchange/wordpress/wxr.ts';

const fixture = readFileSync(new URL('../fixtures/wordpress/export.xml', import.meta.url));

async function eventsOf(chunks: Iterable<Buffer | string>, options = {}): Promise<WxrEvent[]> {
  const events: WxrEvent[] = [];
  async function* source() {
    yield* chunks;
  }
  for await (const event of readWxr(source(), options)) events.push(event);
  return events;
}

function* slices(bytes: Buffer, size: number) {
  for (let at = 0; at < bytes.length; at += size) yield bytes.subarray(at, at + size);
}

describe('reading a WordPress export', () => {
  it('gives the site, its authors, categories and tags, then each item with its fields, terms and post meta', async () => {
    const events = await eventsOf([fixture]);
    expect(events.map((event) => event.type)).toEqual([
      'site',
      'author',
      'author',
      'category',
      'category',
      'category',
      'category',
      'tag',
      'tag',
      'item',
      'item',
      'item',
      'item',
      'item',
      'item',
    ]);
    expect(events[0]).toEqual({
      type: 'site',
      site: {
        title: 'Вести Заречья',
        link: 'https://vesti-zarechya.example',
        host: 'vesti-zarechya.example',
        language: 'ru-RU',
        wxrVersion: '1.2',
      },
    });
    expect(events[4]).toEqual({
      type: 'category',
      category: { termId: '4', nicename: 'obrazovanie', parent: 'obshchestvo', name: 'Образование', description: null },
    });
    const first = events[9];
    if (first?.type !== 'item') throw new Error('an item was expected');
    expect(first.item.ordinal).toBe(1);
    expect(first.item.fields['wp:post_type']).toBe('post');
    expect(first.item.fields['content:encoded']).toContain('<!-- wp:heading {"level":3} -->');
    // A comment's fields are not the post's.
    expect(first.item.fields['wp:comment_content']).toBeUndefined();
    expect(first.item.terms).toEqual([
      { domain: 'category', nicename: 'obrazovanie', name: 'Образование' },
      { domain: 'post_tag', nicename: 'shkoly', name: 'школы' },
    ]);
    expect(first.item.meta).toEqual({ _edit_last: '2', _thumbnail_id: '102' });
  });

  it('reads the same from chunks of any size, characters split between them', async () => {
    const whole = await eventsOf([fixture]);
    for (const size of [1, 7, 64, 1000]) expect(await eventsOf(slices(fixture, size))).toEqual(whole);
  });

  it('reports an item left open and reads on; a file cut off ends with an error', async () => {
    const text = fixture.toString('utf8');
    const unclosed = text.replace(/(<wp:post_id>103<\/wp:post_id>[\s\S]*?)<\/item>/, '$1');
    const events = await eventsOf([unclosed]);
    const items = events.filter((event) => event.type === 'item' || event.type === 'error');
    expect(items.map((event) => (event.type === 'item' ? event.item.ordinal : `${event.code}:${event.ordinal}`))).toEqual([
      1,
      2,
      'malformed_item:3',
      4,
      5,
      6,
    ]);

    const cut = await eventsOf([text.slice(0, text.indexOf('<wp:post_id>103'))]);
    expect(cut.slice(-2).map((event) => (event.type === 'error' ? event.code : event.type))).toEqual(['malformed_item', 'truncated']);
  });

  it('says when the body is not a WordPress export, and when an item is too large', async () => {
    expect(await eventsOf(['<html><body>hello</body></html>'])).toEqual([expect.objectContaining({ type: 'error', code: 'not_wxr' })]);
    expect(await eventsOf([''])).toEqual([expect.objectContaining({ type: 'error', code: 'not_wxr' })]);
    const events = await eventsOf([fixture], { maxFieldChars: 500 });
    expect(events.filter((event) => event.type === 'error').map((event) => (event.type === 'error' ? event.ordinal : null))).toEqual([
      1, 3,
    ]);
  });
});

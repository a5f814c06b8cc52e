import sharp from 'sharp';
import type { Response } from 'supertest';
import { expect } from 'vitest';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { SignedIn, TestApp } from '../support/test-app.ts';

/** A GET whose body is kept as text, whatever its status and media type. */
export function getText(t: TestApp, path: string) {
  return t
    .http()
    .get(path)
    .buffer(true)
    .parse((res, done) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        text += chunk;
      });
      res.on('end', () => done(null, text));
    });
}

/** GETs a document and keeps its body as text, whatever its media type. */
export async function getDocument(t: TestApp, path: string, status = 200): Promise<Response & { body: string }> {
  return getText(t, path).expect(status) as Promise<Response & { body: string }>;
}

// Elements that may repeat are always arrays, so a test reads one item and many alike.
const repeated = new Set(['item', 'entry', 'url', 'sitemap', 'category', 'dc:creator', 'author']);

/** Checks the text is well-formed XML and parses it: attributes as `@_name`, text of an element with attributes as `#text`. */
// biome-ignore lint/suspicious/noExplicitAny: parsed XML has any shape; tests read the paths they expect
export function parseXml(text: string): Record<string, any> {
  expect(XMLValidator.validate(text)).toBe(true);
  return new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '@_',
    parseTagValue: false,
    parseAttributeValue: false,
    isArray: (name) => repeated.has(name),
  }).parse(text);
}

/** An uploaded JPEG (so it has renditions and a media URL that is a path on the API). */
export async function uploadPhoto(
  t: TestApp,
  editor: SignedIn,
  fields: { credit: string; source?: string; caption?: string },
): Promise<{ id: string; url: string }> {
  const picture = await sharp({ create: { width: 400, height: 300, channels: 3, background: { r: 30, g: 90, b: 150 } } })
    .jpeg()
    .toBuffer();
  let request = t.http().post('/v1/admin/media/upload').set(editor.headers);
  for (const [name, value] of Object.entries(fields)) request = request.field(name, value);
  const res = await request.attach('file', picture, { filename: 'photo.jpg', contentType: 'image/jpeg' }).expect(201);
  return res.body;
}

export const rfc822Pattern =
  /^(Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d{2} (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d{2}:\d{2}:\d{2} GMT$/;
export const rfc3339Pattern = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;

/** An element that may appear once or more, as an array either way. */
export const allOf = <T>(value: T | T[] | undefined): T[] => (value === undefined ? [] : Array.isArray(value) ? value : [value]);

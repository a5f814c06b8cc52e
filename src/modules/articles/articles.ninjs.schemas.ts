import { IsoDateTime } from '../../shared/common.schemas.ts';
import { z } from '../../shared/zod.ts';

// A public article as IPTC ninjs 2.0 (News in JSON, https://iptc.org/standards/ninjs/): the part of the standard this
// API writes. test/ninjs validates answers against IPTC's own JSON Schema as well.

export const NINJS_MEDIA_TYPE = 'application/ninjs+json';
export const NINJS_SCHEMA_URI = 'http://www.iptc.org/std/ninjs/ninjs-schema_2.0.json';

const NinjsText = z.object({ role: z.string(), contenttype: z.string(), value: z.string() });

const NinjsBody = z.object({
  role: z.string(),
  contenttype: z.enum(['text/html', 'text/plain']),
  value: z.string(),
  charcount: z.number().int().openapi({ description: 'Characters of the plain text, captions left out.' }),
  wordcount: z.number().int().openapi({ description: 'Words of the plain text, captions left out.' }),
});

const NinjsConcept = z.object({
  name: z.string(),
  rel: z.string(),
  uri: z.string().optional(),
  literal: z.string().openapi({ description: 'Its slug here.' }),
});

const NinjsRendition = z.object({
  name: z.string().openapi({ example: 'jpeg-16x9-1920' }),
  href: z.string(),
  contenttype: z.string(),
  width: z.number().int().optional(),
  height: z.number().int().optional(),
  sizeinbytes: z.number().int().optional(),
});

export const NinjsPictureSchema = z
  .object({
    name: z.string().openapi({ description: '`cover`, or `photo-1`, `photo-2`… for the body photos in reading order.' }),
    uri: z.string(),
    type: z.literal('picture'),
    headlines: z.array(NinjsText).optional(),
    descriptions: z.array(NinjsText).optional().openapi({ description: 'The caption (role `caption`) and the alternative text (`alt`).' }),
    by: z.string().optional().openapi({ description: 'The credit line.' }),
    copyrightholder: z.string().optional(),
    renditions: z.array(NinjsRendition),
  })
  .openapi('NinjsPicture', { description: 'A photo of the article: its file and resized copies, caption and credit.' });

export const NinjsItemSchema = z
  .object({
    uri: z.string().openapi({ description: "The article's address on the public site." }),
    type: z.literal('text'),
    representationtype: z.literal('full'),
    version: z.string().openapi({ description: "The article's version: a number that grows with every saved change.", example: '7' }),
    firstcreated: IsoDateTime.openapi({ description: 'When it was first published.' }),
    versioncreated: IsoDateTime.openapi({ description: 'When this version was saved.' }),
    contentcreated: IsoDateTime.openapi({ description: 'When its first draft was written.' }),
    embargoed: IsoDateTime.optional(),
    pubstatus: z.enum(['usable', 'withheld', 'canceled']),
    language: z.string(),
    copyrightholder: z.string(),
    copyrightnotice: z.string(),
    usageterms: z.string().optional().openapi({ description: 'A sponsored article: the advertising marking to show with it.' }),
    headlines: z.array(NinjsText),
    descriptions: z.array(NinjsText).optional().openapi({ description: 'The lead (role `summary`).' }),
    bodies: z.array(NinjsBody).openapi({ description: 'The body as HTML and as plain text.' }),
    subjects: z.array(NinjsConcept).optional().openapi({ description: 'The rubric (rel `section`) and the tags (rel `tag`).' }),
    people: z.array(NinjsConcept).optional().openapi({ description: 'The authors (rel `author`).' }),
    by: z.string().optional().openapi({ description: "The authors' names." }),
    associations: z.array(NinjsPictureSchema).optional(),
    altids: z.array(z.object({ role: z.string(), value: z.string() })).openapi({ description: "The article's id here (role `id`)." }),
    standard: z.object({ name: z.literal('ninjs'), version: z.literal('2.0'), schema: z.literal(NINJS_SCHEMA_URI) }),
  })
  .openapi('NinjsItem', {
    description:
      'A published article as IPTC ninjs 2.0, for newsroom systems and aggregators: `GET /v1/articles/{slug}` with `Accept: application/ninjs+json`.',
  });

export type NinjsItem = z.infer<typeof NinjsItemSchema>;
export type NinjsPicture = z.infer<typeof NinjsPictureSchema>;

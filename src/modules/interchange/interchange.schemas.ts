import { IsoDateTime } from '../../shared/common.schemas.ts';
import { z } from '../../shared/zod.ts';

// The native dump: one record per NDJSON line, written by the export and read back by the import from these
// same schemas. Each record is a whole row (with its article's relations), so a restore reproduces it exactly.

const id = z.string().min(1).max(64);
const time = IsoDateTime;
const text = (max: number) => z.string().max(max);
// Stored JSON (body blocks, key points, live entry bodies) is kept as it is: it was validated when written.
const storedJson = z.array(z.unknown());
const version = z.number().int().min(1);

export const MediaRenditionRecord = z.strictObject({
  id,
  width: z.number().int(),
  height: z.number().int(),
  aspectRatio: text(20),
  format: text(20),
  mimeType: text(100),
  sizeBytes: z.number().int(),
  storageKey: text(1000),
});

export const MediaRecord = z
  .strictObject({
    type: z.literal('media'),
    id,
    kind: z.enum(['image', 'video', 'audio', 'document']),
    url: text(2000),
    mimeType: text(100),
    sizeBytes: z.number().int().nullable(),
    width: z.number().int().nullable(),
    height: z.number().int().nullable(),
    durationSeconds: z.number().nullable(),
    caption: text(5000).nullable(),
    altText: text(5000).nullable(),
    credit: text(1000).nullable(),
    source: text(1000).nullable(),
    contentHash: text(128).nullable(),
    storageKey: text(1000).nullable(),
    focalX: z.number().nullable(),
    focalY: z.number().nullable(),
    dominantColor: text(20).nullable(),
    originUrl: text(2000).nullable(),
    createdById: id.nullable(),
    version,
    createdAt: time,
    updatedAt: time,
    renditions: z.array(MediaRenditionRecord).max(1000),
  })
  .openapi('ExportMediaRecord', { description: 'Media metadata and its renditions; the files stay in the media storage.' });

export const RubricRecord = z
  .strictObject({
    type: z.literal('rubric'),
    id,
    name: text(500),
    slug: text(200),
    description: text(10_000).nullable(),
    parentId: id.nullable(),
    position: z.number().int(),
    isActive: z.boolean(),
    narration: z.enum(['auto', 'off']).nullable(),
    commentsEnabledByDefault: z.boolean(),
    version,
    createdAt: time,
    updatedAt: time,
  })
  .openapi('ExportRubricRecord', { description: 'A rubric; parents come before their children.' });

export const TagRecord = z
  .strictObject({ type: z.literal('tag'), id, name: text(500), slug: text(200), version, createdAt: time, updatedAt: time })
  .openapi('ExportTagRecord');

export const UserRecord = z
  .strictObject({
    type: z.literal('user'),
    id,
    email: text(320),
    slug: text(200),
    displayName: text(500),
    bio: text(10_000).nullable(),
    avatarMediaId: id.nullable(),
    role: z.enum(['admin', 'editor', 'author']),
    isActive: z.boolean(),
    version,
    createdAt: time,
    updatedAt: time,
  })
  .openapi('ExportUserRecord', {
    description: 'A user as an author: never a password or a session. A restored new user has no password (set one to sign in).',
  });

export const CorrectionRecord = z.strictObject({
  id,
  kind: text(40),
  text: text(20_000),
  actor: text(200),
  publishedAt: time,
});

export const ArticleRecord = z
  .strictObject({
    type: z.literal('article'),
    id,
    title: text(2000),
    slug: text(500),
    lead: text(20_000).nullable(),
    body: storedJson,
    keyPoints: storedJson,
    status: z.enum(['draft', 'in_review', 'scheduled', 'published', 'archived']),
    rubricId: id.nullable(),
    coverMediaId: id.nullable(),
    narrationMediaId: id.nullable(),
    narration: z.enum(['auto', 'off']).nullable(),
    seoTitle: text(2000).nullable(),
    seoDescription: text(5000).nullable(),
    showInFeed: z.boolean(),
    searchText: z.string(),
    createdById: id.nullable(),
    publishedAt: time.nullable(),
    embargoUntil: time.nullable(),
    deletedAt: time.nullable(),
    displayUpdatedAt: time.nullable(),
    isSponsored: z.boolean(),
    adErid: text(500).nullable(),
    adAdvertiserName: text(1000).nullable(),
    adAdvertiserInn: text(20).nullable(),
    adAdvertiserUrl: text(2000).nullable(),
    commentsEnabled: z.boolean(),
    commentsClosedAt: time.nullable(),
    format: z.enum(['standard', 'live']),
    coverageStartedAt: time.nullable(),
    coverageEndedAt: time.nullable(),
    liveSequence: z.number().int().min(0),
    origin: text(40).nullable(),
    source: text(500).nullable(),
    externalId: text(2000).nullable(),
    externalVersion: text(200).nullable(),
    importedVersion: z.number().int().nullable(),
    version,
    createdAt: time,
    updatedAt: time,
    authorIds: z.array(id).max(100).openapi({ description: 'Users in byline order.' }),
    tagIds: z.array(id).max(500).openapi({ description: 'Tags in order.' }),
    bodyMediaIds: z.array(id).max(2000),
    slugRedirects: z.array(z.strictObject({ slug: text(500), createdAt: time })).max(1000),
    pathRedirects: z.array(z.strictObject({ path: text(2000), createdAt: time })).max(1000),
    corrections: z.array(CorrectionRecord).max(1000),
    commentCount: z.strictObject({ count: z.number().int().min(0), updatedAt: time }).nullable(),
  })
  .openapi('ExportArticleRecord', {
    description: 'An article with every column and its relations (authors, tags, body media, redirects, corrections, comment count).',
  });

export const LiveEntryRecord = z
  .strictObject({
    type: z.literal('live_entry'),
    id,
    articleId: id,
    title: text(2000).nullable(),
    body: storedJson,
    isKeyEvent: z.boolean(),
    isPinned: z.boolean(),
    authorIds: z.array(id).max(100),
    createdById: id.nullable(),
    publishedAt: time,
    createdAt: time,
    updatedAt: time,
    deletedAt: time.nullable(),
    sequence: z.number().int().min(0),
    version,
  })
  .openapi('ExportLiveEntryRecord');

export const FeedItemRecord = z
  .strictObject({
    type: z.literal('feed_item'),
    id,
    kind: z.enum(['article', 'live', 'link', 'promo']),
    headline: text(2000),
    rubricId: id.nullable(),
    articleId: id.nullable(),
    url: text(2000).nullable(),
    isPinned: z.boolean(),
    publishedAt: time,
    visibleFrom: time.nullable(),
    visibleUntil: time.nullable(),
    adErid: text(500).nullable(),
    adAdvertiserName: text(1000).nullable(),
    adAdvertiserInn: text(20).nullable(),
    adAdvertiserUrl: text(2000).nullable(),
    version,
    createdAt: time,
    updatedAt: time,
  })
  .openapi('ExportFeedItemRecord');

export const EndRecord = z
  .strictObject({ type: z.literal('end'), count: z.number().int().min(0).openapi({ description: 'Records written before this line.' }) })
  .openapi('ExportEndRecord', { description: 'The last line of a complete export: a file without it was cut off.' });

/** A record the import restores by id. */
export const NativeRecord = z.discriminatedUnion('type', [
  MediaRecord,
  RubricRecord,
  TagRecord,
  UserRecord,
  ArticleRecord,
  LiveEntryRecord,
  FeedItemRecord,
]);

export const nativeRecordTypes = ['media', 'rubric', 'tag', 'user', 'article', 'live_entry', 'feed_item'] as const;

/** One line of the export: a native record, an article as a ninjs item (`?format=ninjs`), or the closing `end`. */
export const ExportLine = z
  .union([NativeRecord, EndRecord, z.record(z.string(), z.unknown()).openapi('NinjsItem', { description: 'An article as ninjs 2.x.' })])
  .openapi('ExportLine', {
    description:
      'One line of the NDJSON export. Records come in dependency order: media, rubrics (parents first), tags, users, articles, live entries, feed items; the last line is `{"type":"end","count":N}`.',
  });

export type MediaRecord = z.infer<typeof MediaRecord>;
export type RubricRecord = z.infer<typeof RubricRecord>;
export type TagRecord = z.infer<typeof TagRecord>;
export type UserRecord = z.infer<typeof UserRecord>;
export type ArticleRecord = z.infer<typeof ArticleRecord>;
export type LiveEntryRecord = z.infer<typeof LiveEntryRecord>;
export type FeedItemRecord = z.infer<typeof FeedItemRecord>;
export type NativeRecord = z.infer<typeof NativeRecord>;
export type NativeRecordType = NativeRecord['type'];

export const ExportQuery = z.strictObject({
  since: IsoDateTime.optional().openapi({ param: { description: 'Only records changed at or after this time (their updatedAt).' } }),
  format: z
    .enum(['native', 'ninjs'])
    .default('native')
    .openapi({ param: { description: '`ninjs`: articles as ninjs items (the other records stay native).' } }),
});

export const ImportQuery = z.strictObject({
  publish: z
    .enum(['true', 'false'])
    .default('false')
    .transform((value) => value === 'true')
    .openapi({
      param: {
        description: '`true`: ninjs items that are `usable` are published (needs the publish right); native records keep their status.',
      },
    }),
});

export const ImportResultLineSchema = z
  .strictObject({
    line: z.number().int().min(1),
    status: z.enum(['created', 'updated', 'unchanged', 'skipped', 'error']),
    type: z.string().optional(),
    id: z.string().nullable().optional(),
    error: z.strictObject({ code: z.string(), detail: z.string() }).nullable().optional(),
    warnings: z.array(z.string()).optional(),
  })
  .openapi('ImportResultLine', { description: 'The result of one input line.' });

export const ImportBodyLine = z.record(z.string(), z.unknown()).openapi('ImportLine', {
  description: 'A record of the export (`type` one of media, rubric, tag, user, article, live_entry, feed_item), or a ninjs item.',
});

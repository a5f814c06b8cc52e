import { IsoDateTime, PageQuery, pageOf } from '../../shared/common.schemas.ts';
import { z } from '../../shared/zod.ts';

export const wireFormats = ['ninjs', 'rss', 'atom'] as const;
export type WireFormat = (typeof wireFormats)[number];

export const minPollSeconds = 30;
export const maxPollSeconds = 86_400;

const name = z.string().trim().min(1).max(200).openapi({ example: 'ТАСС — лента' });
const url = z
  .url({ protocol: /^https?$/ })
  .max(2000)
  .refine((value) => {
    const parsed = new URL(value);
    return !parsed.username && !parsed.password;
  }, 'Put the sign-in in `credentials`, not in the URL (the URL is shown to every admin)')
  .openapi({
    description: 'The feed. Private, loopback and link-local addresses are refused (WIRE_ALLOW_PRIVATE).',
    example: 'https://wire.example.com/feeds/latest.json',
  });
const format = z.enum(wireFormats).openapi({
  description: '`ninjs`: a JSON array of ninjs items, `{ "items": [...] }`, or NDJSON; `rss` or `atom`: an RSS 2.0 or Atom feed.',
});
const pollSeconds = z
  .number()
  .int()
  .min(minPollSeconds)
  .max(maxPollSeconds)
  .openapi({ description: `Seconds between polls, ${minPollSeconds} to ${maxPollSeconds}; longer while it fails.`, example: 120 });
const rubricId = z.string().max(64).nullable().openapi({ description: 'The rubric its items go to; null: none.' });
const isActive = z.boolean().openapi({ description: 'false: not polled.' });

export const WireCredentialsSchema = z
  .discriminatedUnion('type', [
    z.strictObject({ type: z.literal('basic'), username: z.string().min(1).max(500), password: z.string().max(1000) }),
    z.strictObject({ type: z.literal('bearer'), token: z.string().min(1).max(4000) }),
    z.strictObject({
      type: z.literal('header'),
      name: z
        .string()
        .regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]{1,100}$/, 'Not a header name')
        .refine((n) => !['host', 'content-length', 'if-none-match', 'if-modified-since', 'accept-encoding'].includes(n.toLowerCase()), {
          message: 'This header is set by the poller',
        }),
      value: z
        .string()
        .max(4000)
        .regex(/^[^\r\n]*$/, 'One line'),
    }),
  ])
  .nullable()
  .openapi('WireCredentials', {
    description:
      'How the poller signs in to the feed: HTTP Basic, a bearer token, or a header of its own (an API key). Write-only: never answered (see `hasCredentials`); null removes them.',
  });
export type WireCredentials = z.infer<typeof WireCredentialsSchema>;

export const CreateWireSourceBody = z
  .strictObject({
    name,
    url,
    format,
    pollSeconds: pollSeconds.optional().openapi({ description: 'Default 300.' }),
    rubricId: rubricId.optional(),
    isActive: isActive.optional(),
    credentials: WireCredentialsSchema.optional(),
  })
  .openapi('CreateWireSourceBody');
export type CreateWireSourceInput = z.infer<typeof CreateWireSourceBody>;

export const UpdateWireSourceBody = z
  .strictObject({
    name: name.optional(),
    url: url.optional(),
    format: format.optional(),
    pollSeconds: pollSeconds.optional(),
    rubricId: rubricId.optional(),
    isActive: isActive.optional(),
    credentials: WireCredentialsSchema.optional().openapi({ description: 'Left out: kept; null: removed.' }),
  })
  .openapi('UpdateWireSourceBody');
export type UpdateWireSourceInput = z.infer<typeof UpdateWireSourceBody>;

export const WireSourceSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    url: z.string(),
    format: z.enum(wireFormats),
    pollSeconds: z.number().int(),
    rubricId: z.string().nullable(),
    isActive: z.boolean(),
    hasCredentials: z.boolean().openapi({ description: 'Whether credentials are set (they are never answered).' }),
    lastPolledAt: IsoDateTime.nullable(),
    lastStatus: z.enum(['ok', 'not_modified', 'failed']).nullable().openapi({
      description: 'ok: fetched and imported; not_modified: the feed answered 304; failed: see lastError. null: not polled yet.',
    }),
    lastError: z.string().nullable().openapi({ example: 'answered 503' }),
    itemsImported: z.number().int().openapi({ description: 'Articles created or updated from this source, in all.' }),
    consecutiveFailures: z
      .number()
      .int()
      .openapi({ description: 'Polls failed in a row; each doubles the wait before the next, up to 6 hours.' }),
    nextPollAt: IsoDateTime.openapi({ description: 'When it is polled next.' }),
    version: z.number().int().openapi({ description: 'Goes up by one with each change; send it back as If-Match (the ETag).', example: 2 }),
    createdAt: IsoDateTime,
    updatedAt: IsoDateTime,
  })
  .openapi('WireSource');
export type WireSourceResponse = z.infer<typeof WireSourceSchema>;

export const ListWireSourcesQuery = PageQuery;
export const WireSourcePage = pageOf(WireSourceSchema, 'WireSourcePage');

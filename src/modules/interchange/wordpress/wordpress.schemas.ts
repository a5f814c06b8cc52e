import { z } from '../../../shared/zod.ts';

export const WordpressImportQuery = z.strictObject({
  publish: z
    .enum(['true', 'false'])
    .optional()
    .transform((value) => (value === undefined ? undefined : value === 'true'))
    .openapi({
      param: {
        description:
          'Whether posts published in WordPress are published here too (drafts always stay drafts). Left out: they are when the ' +
          'caller may publish, as a site move expects; `false` imports everything as drafts; `true` needs the publish right.',
      },
    }),
});

export const WordpressExportBody = z.string().openapi('WordpressExport', {
  description: 'A WordPress export file (WXR 1.1 or 1.2: RSS 2.0 with the wp:, content:, excerpt: and dc: namespaces).',
});

export const RedirectLookupQuery = z.strictObject({
  path: z
    .string()
    .min(1)
    .max(2000)
    .openapi({
      param: {
        description: 'An address of the old site: its path and query (`/2019/05/old-post/`, `/?p=123`), or the whole address.',
      },
      example: '/2024/08/20/shkola-4-otkroetsya/',
    }),
});

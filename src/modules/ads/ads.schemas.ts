import { IsoDateTime } from '../../shared/common.schemas.ts';
import { z } from '../../shared/zod.ts';

export const AdsReportQuery = z.strictObject({
  from: IsoDateTime.openapi({ param: { description: 'The start of the period (inclusive).' }, example: '2026-11-01T00:00:00.000Z' }),
  to: IsoDateTime.openapi({ param: { description: 'The end of the period (inclusive).' }, example: '2026-11-30T23:59:59.999Z' }),
});

export const AdPlacementSchema = z
  .object({
    erid: z.string(),
    advertiserName: z.string(),
    advertiserInn: z.string().nullable(),
    advertiserUrl: z.string().nullable(),
    subjectType: z.enum(['article', 'feed_item']).openapi({ description: 'What ran: a sponsored article or a promo slot of the feed.' }),
    subjectId: z.string().openapi({ description: 'The id of the article or the feed item (which may since have been deleted).' }),
    title: z.string().openapi({ description: 'Its headline as last shown.' }),
    url: z.string().openapi({ description: "Where it led: the promo's URL with its erid, or the article's public page." }),
    adminUrl: z.string().nullable().openapi({ description: 'The record in this API, while it exists.' }),
    firstPublicAt: IsoDateTime.openapi({ description: 'When it first was public.' }),
    lastPublicAt: IsoDateTime.openapi({ description: 'When it last was public: the end of its time in public, or now while it still is.' }),
    isPublicNow: z.boolean(),
  })
  .openapi('AdPlacement', { description: 'A marked ad and its time in public with one erid.' });

export const AdsReportSchema = z
  .object({
    from: IsoDateTime,
    to: IsoDateTime,
    items: z.array(AdPlacementSchema),
  })
  .openapi('AdsReport', { description: 'Every marked ad public at some time of the period: what the ad data operator asks for.' });

export type AdsReportInput = z.infer<typeof AdsReportQuery>;
export type AdPlacementResponse = z.infer<typeof AdPlacementSchema>;
export type AdsReportResponse = z.infer<typeof AdsReportSchema>;

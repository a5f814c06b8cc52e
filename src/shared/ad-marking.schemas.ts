import { AD_LABEL, ERID_PATTERN } from './ad-marking.ts';
import { z } from './zod.ts';

// The ad marking's shapes, shared by the feed (promo slots) and the articles (sponsored articles).

/**
 * What an editor sends. Every part is optional here so that the service can refuse a missing one with
 * 422 `ad_marking_required` (and a wrong INN with 422 `invalid_inn`) rather than a generic validation error.
 */
export const AdMarkingBody = z
  .strictObject({
    erid: z
      .string()
      .regex(ERID_PATTERN, 'Latin letters and digits, as the ad data operator issued it')
      .optional()
      .openapi({ description: 'The token the ad data operator (ОРД) issued for this ad.', example: '2VtzqwRkN7h' }),
    advertiserName: z.string().trim().min(1).max(300).optional().openapi({ example: 'ООО «Ромашка»' }),
    advertiserInn: z
      .string()
      .max(12)
      .nullable()
      .optional()
      .openapi({ description: '10 digits (an organisation) or 12 (a person), with valid check digits.', example: '7707083893' }),
    advertiserUrl: z
      .url({ protocol: /^https?$/ })
      .max(2000)
      .nullable()
      .optional()
      .openapi({ description: "The advertiser's site, when no INN is given.", example: 'https://romashka.example' }),
  })
  .openapi('AdMarkingInput', {
    description:
      "Advertising marking (38-FZ art. 18.1): the erid and the advertiser's name, with its INN or site. Required to publish an ad.",
  });

/** The marking as stored, in management answers. */
export const AdMarkingSchema = z
  .object({
    erid: z.string().nullable(),
    advertiserName: z.string().nullable(),
    advertiserInn: z.string().nullable(),
    advertiserUrl: z.string().nullable(),
  })
  .openapi('AdMarking', { description: 'The marking as saved; a draft may still lack parts.' });

/** The marking as the public shows it, with the line to print above the ad. */
export const PublicAdMarkingSchema = z
  .object({
    label: z.literal(AD_LABEL),
    erid: z.string(),
    advertiserName: z.string(),
    advertiserInn: z.string().nullable(),
    advertiserUrl: z.string().nullable(),
    text: z.string().openapi({
      description: 'The marking line to show with the ad, as the law asks.',
      example: 'Реклама. ООО «Ромашка», ИНН 7707083893. erid: 2VtzqwRkN7h',
    }),
  })
  .openapi('PublicAdMarking', { description: 'Show `text` (or `label` and the rest) above the ad; its links carry `rel="sponsored"`.' });

export type AdMarkingBodyInput = z.infer<typeof AdMarkingBody>;
export type AdMarkingResponse = z.infer<typeof AdMarkingSchema>;

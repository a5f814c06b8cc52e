import { defineRoute, type AnyRoute } from '../../http/route.ts';
import { adminsOnly } from '../../http/access.ts';
import { z } from '../../shared/zod.ts';
import { AdsReportQuery, AdsReportSchema } from './ads.schemas.ts';
import type { AdsService } from './ads.service.ts';

const wantsCsv = (accept: string | undefined) => /\btext\/csv\b/i.test(accept ?? '');

export function adsAdminRoutes(service: AdsService): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/v1/admin/ads',
      operationId: 'getAdsReport',
      summary: 'The ads report: every marked ad public in a period',
      tag: 'Ads',
      access: adminsOnly,
      description: [
        'Every sponsored article and promo slot public at some time from `from` to `to`, one line per erid, with its advertiser,',
        'what it was (with links) and the first and last time it was public: what the ad data operator (ОРД) asks the site to report.',
        'With `Accept: text/csv`, the same as CSV (RFC 4180, a header line).',
      ].join(' '),
      query: AdsReportQuery,
      response: AdsReportSchema,
      requestHeaders: {
        Accept: z.string().optional().openapi({ description: '`text/csv` for CSV; JSON otherwise.', example: 'text/csv' }),
      },
      extraResponses: {
        200: {
          description: 'The report, as JSON or CSV.',
          content: {
            'application/json': { schema: AdsReportSchema },
            'text/csv': { schema: z.string().openapi({ description: 'The items as CSV, columns named in the header line.' }) },
          },
        },
      },
      errors: { 422: '`to` is before `from`.' },
      handler: async ({ query, req, res }) => {
        if (!wantsCsv(req.get('accept'))) return service.report(query);
        const csv = await service.reportCsv(query);
        res.status(200).type('text/csv; charset=utf-8').set('Content-Disposition', 'attachment; filename="ads-report.csv"').send(csv);
        return undefined;
      },
    }),
  ];
}

import type { PrismaTx } from '../../db/database.ts';
import { ValidationError } from '../../errors.ts';
import type { AdPlacementState, AdPlacementTracker } from '../../shared/ad-placements.ts';
import type { PublicUrls } from '../../shared/public-urls.ts';
import type { AdsRepository } from './ads.repository.ts';
import type { AdPlacementResponse, AdsReportInput, AdsReportResponse } from './ads.schemas.ts';

const CSV_COLUMNS = [
  'erid',
  'advertiserName',
  'advertiserInn',
  'advertiserUrl',
  'subjectType',
  'subjectId',
  'title',
  'url',
  'firstPublicAt',
  'lastPublicAt',
  'isPublicNow',
] as const satisfies readonly (keyof AdPlacementResponse)[];

/** A CSV field per RFC 4180: quoted when it holds a comma, a quote or a line break. */
const csvField = (value: unknown) => {
  const text = value === null || value === undefined ? '' : String(value);
  return /[",\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

export function createAdsService(deps: { repo: AdsRepository; urls: PublicUrls; now: () => Date }) {
  const { repo, urls, now } = deps;

  /**
   * Keeps the subject's placements in step with what it is after a change, in the change's transaction: a
   * marked ad that is (or will be) public has an open placement with its erid; a new erid ends the old one
   * and starts another; an ad taken down, or no longer marked, ends its placement (or drops one that never
   * went public).
   */
  async function sync(tx: PrismaTx, state: AdPlacementState): Promise<void> {
    const at = now();
    const latest = await repo.findLatest(tx, state.subjectType, state.subjectId);
    const open = latest && (latest.lastPublicAt === null || latest.lastPublicAt > at) ? latest : null;
    // Its end is now, or the end of its window when that has already passed.
    const endsAt = state.window?.until && state.window.until <= at ? state.window.until : at;
    const end = async () => {
      if (!open) return;
      if (open.firstPublicAt > at) await repo.remove(tx, open.id);
      else await repo.update(tx, open.id, { lastPublicAt: laterOf(endsAt, open.firstPublicAt) });
    };
    // Not public, or its window already over: whatever was open ends now.
    if (!state.marking || !state.window || (state.window.until && state.window.until <= at)) return end();
    const { marking, window } = state;
    const url = state.link.type === 'article' ? urls.article(state.link.slug) : state.link.url;
    const described = {
      advertiserName: marking.advertiserName,
      advertiserInn: marking.advertiserInn,
      advertiserUrl: marking.advertiserUrl,
      title: state.title,
      url,
      lastPublicAt: window.until,
    };
    if (open && open.erid === marking.erid) {
      // Not public yet: its start follows the schedule; once public, its start is history.
      await repo.update(tx, open.id, { ...described, ...(open.firstPublicAt > at ? { firstPublicAt: laterOf(window.from, at) } : {}) });
      return;
    }
    await end();
    await repo.create(tx, {
      subjectType: state.subjectType,
      subjectId: state.subjectId,
      erid: marking.erid,
      ...described,
      firstPublicAt: laterOf(window.from, at),
    });
  }

  async function report(query: AdsReportInput): Promise<AdsReportResponse> {
    const from = new Date(query.from);
    const to = new Date(query.to);
    if (to < from)
      throw new ValidationError('The period ends before it starts.', [{ field: 'query.to', message: 'Must not be before from' }]);
    const at = now();
    const rows = await repo.listShownBetween(from, to, at);
    return {
      from: from.toISOString(),
      to: to.toISOString(),
      items: rows.map((row) => {
        const isPublicNow = row.firstPublicAt <= at && (row.lastPublicAt === null || row.lastPublicAt > at);
        const last = row.lastPublicAt === null || row.lastPublicAt > at ? at : row.lastPublicAt;
        return {
          erid: row.erid,
          advertiserName: row.advertiserName,
          advertiserInn: row.advertiserInn,
          advertiserUrl: row.advertiserUrl,
          subjectType: row.subjectType as AdPlacementResponse['subjectType'],
          subjectId: row.subjectId,
          title: row.title,
          url: row.url,
          adminUrl: `/v1/admin/${row.subjectType === 'article' ? 'articles' : 'feed-items'}/${row.subjectId}`,
          firstPublicAt: row.firstPublicAt.toISOString(),
          lastPublicAt: last.toISOString(),
          isPublicNow,
        };
      }),
    };
  }

  return {
    tracker: { sync } satisfies AdPlacementTracker,
    report,
    /** The report as CSV (RFC 4180, a header line, CRLF line ends). */
    async reportCsv(query: AdsReportInput): Promise<string> {
      const { items } = await report(query);
      const lines = [CSV_COLUMNS.join(','), ...items.map((item) => CSV_COLUMNS.map((column) => csvField(item[column])).join(','))];
      return `${lines.join('\r\n')}\r\n`;
    },
  };
}

const laterOf = (a: Date, b: Date) => (a > b ? a : b);

export type AdsService = ReturnType<typeof createAdsService>;

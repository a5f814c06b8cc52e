import type { PrismaTx } from '../db/database.ts';
import type { AdMarking } from './ad-marking.ts';

/** A marked ad (a sponsored article, a promo slot) as a change leaves it, for the placements the ads report lists. */
export interface AdPlacementState {
  subjectType: 'article' | 'feed_item';
  subjectId: string;
  /** Null when it is not (or no longer) an ad, or its marking is incomplete. */
  marking: AdMarking | null;
  title: string;
  /** Where it leads: the article's page, or the promo URL (with its erid). */
  link: { type: 'article'; slug: string } | { type: 'url'; url: string };
  /** When it is public: from, and until (null for no end); null when it is not public at all. */
  window: { from: Date; until: Date | null } | null;
}

/**
 * Records the time marked ads are public, in the transaction of the change that shows or hides them. The ads
 * module implements it; the feed and the articles call it, so neither imports the other's module.
 */
export interface AdPlacementTracker {
  sync(tx: PrismaTx, state: AdPlacementState): Promise<void>;
}

/** For services built without the ads report (scripts, some tests). */
export const noAdPlacementTracker: AdPlacementTracker = { sync: async () => undefined };

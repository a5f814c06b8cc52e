import type { PrismaTx } from '../db/database.ts';

/** What the real-time stream (GET /v1/stream) sends, each on one topic. */
export const streamEventTypes = [
  'live_entry.created',
  'live_entry.updated',
  'live_entry.deleted',
  'live.ended',
  'live.resumed',
  'feed.changed',
  'article.updated',
] as const;
export type StreamEventType = (typeof streamEventTypes)[number];

/** The topic of a live article's entries and coverage. */
export const liveTopic = (articleId: string) => `live:${articleId}`;
/** The topic of changes to an article's page. */
export const articleTopic = (articleId: string) => `article:${articleId}`;
export const feedTopic = 'feed';

/** An event as a service describes it, written to the stream's log in the transaction of the change. */
export interface StreamEventInput {
  topic: string;
  type: StreamEventType;
  data: Record<string, unknown>;
}

/**
 * Where services put what the public may see change: `record` writes the event in the caller's transaction
 * (only public changes are recorded); `committed`, called after the commit, pushes it to every instance at once.
 */
export interface StreamRecorder {
  record(tx: PrismaTx, event: StreamEventInput): Promise<void>;
  committed(): void;
}

/** For services built without a stream (scripts, some tests). */
export const noStreamRecorder: StreamRecorder = { record: async () => undefined, committed: () => undefined };

import { AppError } from '../../errors.ts';
import { translatePrismaError } from '../../db/prisma-errors.ts';
import type { Actor } from '../../shared/actor.ts';
import { collectNotedPurges } from '../../shared/cache-keys.ts';
import type { ImportOutcome, ImportResultLine, IncomingArticle } from '../../shared/incoming-article.ts';
import type { InterchangeRepository, PageOptions } from './interchange.repository.ts';
import { NativeRecord, nativeRecordTypes } from './interchange.schemas.ts';
import type { NdjsonLine, NdjsonWriter } from './ndjson.ts';

// The native dump and restore: every table a public answer is made of, streamed page by page as NDJSON, and
// read back record by record (each in its own transaction), by id, keeping ids, slugs, times and versions.

export const exportPageSize = 500;

export interface NativeInterchangeDeps {
  repo: InterchangeRepository;
  /** Purges the public answers a restored record changed (after its transaction committed); `everything` when a write did not say. */
  purge: (keys: string[] | 'everything') => void;
  /** Articles as ninjs items, in the order of the ids (`?format=ninjs`); absent until the ninjs mapper is wired. */
  ninjsOfArticles?: (ids: string[]) => Promise<unknown[]>;
  /** A ninjs item as an incoming article, with what was dropped on the way (throws an AppError for one it cannot read). */
  readNinjs?: (item: unknown) => { article: IncomingArticle; warnings: string[] };
  /** Upserts an incoming article by (source, externalId). */
  importIncoming?: (item: IncomingArticle, actor: Actor, options: { publish: boolean }) => Promise<ImportOutcome>;
  logError?: (error: unknown, message: string) => void;
  pageSize?: number;
}

export interface ExportOptions {
  since: Date | null;
  format: 'native' | 'ninjs';
}

// ninjs item types: an item with a `uri` and one of these (or no `type`) is a ninjs item, not a native record.
const ninjsTypes = new Set(['text', 'picture', 'video', 'audio', 'graphic', 'composite', 'component']);

export function createNativeInterchange(deps: NativeInterchangeDeps) {
  const { repo } = deps;
  const limit = deps.pageSize ?? exportPageSize;

  /** Pages of a table in id order until one comes back short. */
  async function* paged<T extends { id: string }>(since: Date | null, read: (page: PageOptions) => Promise<T[]>): AsyncGenerator<T> {
    let after: string | null = null;
    for (;;) {
      const rows = await read({ after, since, limit });
      yield* rows;
      const last = rows.at(-1);
      if (rows.length < limit || !last) return;
      after = last.id;
    }
  }

  async function* articleLines({ since, format }: ExportOptions): AsyncGenerator<unknown> {
    if (format === 'native') {
      yield* paged(since, repo.articlePage);
      return;
    }
    const ninjsOf = deps.ninjsOfArticles;
    if (!ninjsOf) return;
    let after: string | null = null;
    for (;;) {
      const ids = await repo.articleIdPage({ after, since, limit });
      yield* await ninjsOf(ids);
      if (ids.length < limit) return;
      after = ids.at(-1) ?? null;
    }
  }

  /** Every record, in dependency order, one page in memory at a time. */
  async function* exportRecords(options: ExportOptions): AsyncGenerator<unknown> {
    const { since } = options;
    yield* paged(since, repo.mediaPage);
    const rubricIds = await repo.rubricIdsInTreeOrder(since);
    for (let start = 0; start < rubricIds.length; start += limit) yield* await repo.rubricsByIds(rubricIds.slice(start, start + limit));
    yield* paged(since, repo.tagPage);
    yield* paged(since, repo.userPage);
    yield* articleLines(options);
    yield* paged(since, repo.liveEntryPage);
    yield* paged(since, repo.feedItemPage);
  }

  /** Answers the line's result; never throws for the line's content, so the stream goes on. */
  async function importLine(
    input: NdjsonLine,
    actor: Actor,
    publish: boolean,
    countSoFar: number,
    awaitingCreators: Map<string, string[]>,
  ): Promise<ImportResultLine> {
    const { line } = input;
    if ('tooLong' in input) return failed(line, undefined, 'line_too_long', 'The line is longer than the limit; it was skipped.');
    let value: unknown;
    try {
      value = JSON.parse(input.text);
    } catch {
      return failed(line, undefined, 'bad_json', 'The line is not a JSON value.');
    }
    if (!value || typeof value !== 'object' || Array.isArray(value))
      return failed(line, undefined, 'bad_record', 'The line is not a JSON object.');
    const type = (value as { type?: unknown }).type;
    if (type === 'end') {
      const count = (value as { count?: unknown }).count;
      return count === countSoFar
        ? { line, status: 'unchanged', type: 'end' }
        : failed(
            line,
            'end',
            'count_mismatch',
            `The export says it wrote ${String(count)} records; ${countSoFar} lines came before its end.`,
          );
    }
    if (typeof type === 'string' && (nativeRecordTypes as readonly string[]).includes(type))
      return restoreLine(line, type, value, awaitingCreators);
    if (typeof (value as { uri?: unknown }).uri === 'string' && (type === undefined || (typeof type === 'string' && ninjsTypes.has(type))))
      return importNinjs(line, value, actor, publish);
    return failed(
      line,
      typeof type === 'string' ? type : undefined,
      'unknown_type',
      'Not a record of the export (its `type`) nor a ninjs item (its `uri`).',
    );
  }

  async function restoreLine(
    line: number,
    type: string,
    value: unknown,
    awaitingCreators: Map<string, string[]>,
  ): Promise<ImportResultLine> {
    const parsed = NativeRecord.safeParse(value);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const detail = issue ? `${issue.path.join('.') || 'record'}: ${issue.message}` : 'The record is not valid.';
      return { line, status: 'error', type, id: idOf(value), error: { code: 'validation_failed', detail } };
    }
    const record = parsed.data;
    try {
      const outcome = await repo.restore(record);
      if (outcome.keys.length) deps.purge(outcome.keys);
      if (outcome.awaitsCreator)
        awaitingCreators.set(outcome.awaitsCreator, [...(awaitingCreators.get(outcome.awaitsCreator) ?? []), record.id]);
      const created = record.type === 'user' ? awaitingCreators.get(record.id) : undefined;
      if (created) {
        awaitingCreators.delete(record.id);
        await repo.linkMediaCreator(record.id, created);
      }
      return { line, status: outcome.status, type, id: record.id };
    } catch (error) {
      return { line, status: 'error', type, id: record.id, error: errorOf(error) };
    }
  }

  async function importNinjs(line: number, value: unknown, actor: Actor, publish: boolean): Promise<ImportResultLine> {
    const { readNinjs, importIncoming } = deps;
    if (!readNinjs || !importIncoming) return failed(line, 'ninjs', 'not_available', 'This server does not import ninjs items yet.');
    try {
      const { article, warnings } = readNinjs(value);
      // The importer's services say what each write changes; this answer is streamed, so each item is purged as it is done.
      const { result, noted } = await collectNotedPurges(() => importIncoming(article, actor, { publish }));
      if (result.status !== 'unchanged' && result.status !== 'skipped' && result.status !== 'error') deps.purge(noted ?? 'everything');
      const allWarnings = [...warnings, ...(result.warnings ?? [])];
      return { type: 'article', ...result, ...(allWarnings.length ? { warnings: allWarnings } : {}), line };
    } catch (error) {
      return { line, status: 'error', type: 'article', id: null, error: errorOf(error) };
    }
  }

  function errorOf(error: unknown): { code: string; detail: string } {
    const known = error instanceof AppError ? error : translatePrismaError(error);
    if (known) return { code: known.code, detail: known.message };
    deps.logError?.(error, 'import: a line failed');
    return { code: 'internal_error', detail: 'The line could not be imported; the server logged why.' };
  }

  return {
    /** Whether `?format=ninjs` can be answered. */
    canExportNinjs: () => deps.ninjsOfArticles !== undefined,

    /** Writes every record (changed since `since`) and the closing `end` line; stops when the reader goes away. */
    async exportTo(writer: NdjsonWriter, options: ExportOptions): Promise<number> {
      let count = 0;
      for await (const record of exportRecords(options)) {
        await writer.write(record);
        count++;
      }
      await writer.write({ type: 'end', count });
      await writer.end();
      return count;
    },

    /**
     * Imports NDJSON lines one at a time, writing each line's result as it is known. A line that fails is
     * answered with an error and the next one is read; a stream cut off leaves every finished line in place.
     */
    async importFrom(lines: AsyncIterable<NdjsonLine>, writer: NdjsonWriter, actor: Actor, { publish }: { publish: boolean }) {
      const totals = { created: 0, updated: 0, unchanged: 0, skipped: 0, error: 0 };
      let seen = 0;
      // Media whose creator comes later in the stream, by creator: a few ids each.
      const awaitingCreators = new Map<string, string[]>();
      for await (const input of lines) {
        const result = await importLine(input, actor, publish, seen, awaitingCreators);
        seen++;
        totals[result.status]++;
        await writer.write(result);
      }
      await writer.end();
      return totals;
    },
  };
}

function failed(line: number, type: string | undefined, code: string, detail: string): ImportResultLine {
  return { line, status: 'error', ...(type ? { type } : {}), id: null, error: { code, detail } };
}

function idOf(value: unknown): string | null {
  const id = (value as { id?: unknown }).id;
  return typeof id === 'string' ? id : null;
}

export type NativeInterchange = ReturnType<typeof createNativeInterchange>;

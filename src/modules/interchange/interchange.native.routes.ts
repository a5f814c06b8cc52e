import type { Request, Response } from 'express';
import { AppError, ForbiddenError } from '../../errors.ts';
import { adminsOnly } from '../../http/access.ts';
import { defineRoute, type AnyRoute } from '../../http/route.ts';
import type { Prisma } from '../../db/database.ts';
import type { SearchIndexer } from '../../shared/search-indexer.ts';
import { mayPublish } from '../articles/index.ts';
import { createNativeInterchange, type NativeInterchange, type NativeInterchangeDeps } from './interchange.native.ts';
import { createInterchangeRepository } from './interchange.repository.ts';
import { ExportLine, ExportQuery, ImportBodyLine, ImportQuery, ImportResultLineSchema } from './interchange.schemas.ts';
import { createNdjsonWriter, defaultMaxLineBytes, ReaderGoneError, readNdjsonLines } from './ndjson.ts';

const tag = 'Import and export';
export const ndjsonType = 'application/x-ndjson';
// The export is sent in chunks of about this size (each written with backpressure).
const exportChunkBytes = 64 * 1024;

// The handler answers by itself, line by line: the headers go out before the first record.
export function startNdjson(res: Response): void {
  res.status(200);
  res.setHeader('Content-Type', `${ndjsonType}; charset=utf-8`);
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.flushHeaders();
}

// A body refused before it is read: the rest is dropped and the connection closed after the answer.
export function stopReading(req: Request): void {
  req.unpipe();
  req.res?.set('Connection', 'close');
  req.resume();
}

/** Refuses, before anything is read or written, a body not of one of `types` (415) and a publish the caller may not make (403). */
export function assertImportable(
  req: Request,
  types: ReadonlySet<string>,
  expected: string,
  publish: { isAsked: boolean; isAllowed: boolean },
): void {
  const type = (req.get('content-type') ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (!types.has(type)) {
    stopReading(req);
    throw new AppError(415, 'unsupported_media_type', 'Unsupported media type', `Send the body as ${expected}.`);
  }
  if (publish.isAsked && !publish.isAllowed) {
    stopReading(req);
    throw new ForbiddenError('Publishing what is imported needs the editor role or an API key with the "publish" scope.');
  }
}

const ndjsonTypes = new Set([ndjsonType, 'application/ndjson', 'application/jsonl', 'application/x-jsonlines']);

// Once the answer has started, a failure can only cut it off: a reader without the `end` line knows it is incomplete.
function cutOff(res: Response, error: unknown, message: string, level: 'error' | 'warn'): void {
  const logger = res.locals.logger as Partial<Record<'error' | 'warn', (o: unknown, m: string) => void>> | undefined;
  if (!(error instanceof ReaderGoneError)) logger?.[level]?.({ err: error }, message);
  res.destroy();
}

export function nativeInterchangeRoutes(interchange: NativeInterchange, { maxLineBytes = defaultMaxLineBytes } = {}): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/v1/admin/export',
      operationId: 'exportContent',
      summary: 'Export everything as NDJSON',
      tag,
      access: adminsOnly,
      description: [
        'Streams one JSON record per line, in dependency order: media (metadata and renditions; the files stay in the media storage),',
        'rubrics (parents first), tags, users (as authors: never passwords or sessions), articles (every column with their authors, tags,',
        'body media, slug and path redirects, corrections and comment count), live entries, feed items.',
        'The last line is `{"type":"end","count":N}`: a file without it was cut off. `POST /v1/admin/import` restores it.',
        'Read page by page, in constant memory, as fast as the client reads.',
      ].join(' '),
      query: ExportQuery,
      mediaType: ndjsonType,
      response: ExportLine,
      responseDescription: 'The records, one per line (each line is one `ExportLine`).',
      errors: { 501: 'ninjs was asked for and this server cannot write it yet (code `not_implemented`).' },
      handler: async ({ query, res }) => {
        if (query.format === 'ninjs' && !interchange.canExportNinjs())
          throw new AppError(501, 'not_implemented', 'Not implemented', 'This server cannot write ninjs yet.');
        startNdjson(res);
        const writer = createNdjsonWriter(res, { chunkBytes: exportChunkBytes });
        try {
          await interchange.exportTo(writer, { since: query.since ? new Date(query.since) : null, format: query.format });
        } catch (error) {
          cutOff(res, error, 'export: cut off', 'error');
        }
      },
    }),
    defineRoute({
      method: 'post',
      path: '/v1/admin/import',
      operationId: 'importContent',
      summary: 'Import NDJSON: records of the export, or ninjs items',
      tag,
      access: adminsOnly,
      description: [
        'Reads the body as a stream, one JSON value per line (a line longer than the limit is an error, and the next line is read),',
        'and answers one result line per input line as it goes: `{ line, status, type, id, error }`.',
        'A record of the export is restored by its id with its slug, times and version: created when missing, `unchanged` at the same',
        'version (nothing written), `updated` (replaced whole, its relations too) at a higher one, `skipped` at a lower one.',
        'A ninjs item (a `uri`, and no `type` or a ninjs one) is upserted by its source and uri, as wire copy is (origin `import`).',
        'Each line is its own transaction: a bad line is answered with an error and the rest go on; a body cut off leaves the lines before',
        'it in place. Restored users have no password. Importing the same file again changes nothing.',
      ].join(' '),
      query: ImportQuery,
      streamedBody: {
        description: 'NDJSON: records of the export, or ninjs items.',
        content: { [ndjsonType]: { schema: ImportBodyLine } },
      },
      mediaType: ndjsonType,
      response: ImportResultLineSchema,
      responseDescription: 'One result per input line, in order, each as soon as it is known.',
      errors: {
        403: 'The publish right is needed for `publish=true`.',
        415: 'The body is not NDJSON (code `unsupported_media_type`): send it as `application/x-ndjson`.',
      },
      handler: async ({ query, req, res, actor }) => {
        assertImportable(req, ndjsonTypes, 'application/x-ndjson (one JSON value a line)', {
          isAsked: query.publish,
          isAllowed: mayPublish(actor),
        });
        startNdjson(res);
        const writer = createNdjsonWriter(res);
        try {
          await interchange.importFrom(readNdjsonLines(req, { maxLineBytes }), writer, actor, { publish: query.publish });
        } catch (error) {
          // A body cut off (the client's doing: each line's own failure is its error line): the lines done so far stay done.
          cutOff(res, error, 'import: the body was cut off', 'warn');
        }
      },
    }),
  ];
}

/** The native dump and restore, ready to mount: `GET /v1/admin/export` and `POST /v1/admin/import`. */
export function createNativeInterchangeRoutes(
  deps: Omit<NativeInterchangeDeps, 'repo'> & {
    prisma: Prisma;
    searchIndex: Pick<SearchIndexer, 'reindexArticle' | 'indexCreatedArticle' | 'createdArticleStatements'>;
    maxLineBytes?: number;
  },
): AnyRoute[] {
  const { prisma, searchIndex, maxLineBytes, ...rest } = deps;
  const interchange = createNativeInterchange({ ...rest, repo: createInterchangeRepository({ prisma, searchIndex }) });
  return nativeInterchangeRoutes(interchange, maxLineBytes ? { maxLineBytes } : {});
}

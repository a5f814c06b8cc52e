// The stack's physical limit: express 5 and the database doing the least work possible for the CMS's public article
// and list of 20 (one prepared statement each, the JSON built by the database). Not a CMS: no access rules,
// no include/fields, body photos left unresolved; the same paths as the CMS so that scenarios can aim at both.
import Database from 'better-sqlite3';
import express from 'express';
import pg from 'pg';
import type { BenchDialect } from './databases.ts';

export interface LimitApp {
  app: express.Express;
  close: () => Promise<void>;
}

const listSize = 20;

const sqliteIso = (column: string) => `strftime('%Y-%m-%dT%H:%M:%fZ', ${column})`;

// Correlated subqueries inside one statement; json() keeps each nested value JSON through the subquery boundary.
const sqliteSummary = `
  'id', a.id, 'slug', a.slug, 'title', a.title, 'lead', a.lead,
  'rubric', json(CASE WHEN r.id IS NULL THEN NULL ELSE json_object('id', r.id, 'name', r.name, 'slug', r.slug) END),
  'authors', json((SELECT json_group_array(json_object('id', u.id, 'displayName', u.displayName, 'slug', u.slug))
    FROM (SELECT u.id, u.displayName, u.slug FROM ArticleAuthor aa JOIN "User" u ON u.id = aa.userId
          WHERE aa.articleId = a.id ORDER BY aa.position) u)),
  'tags', json((SELECT json_group_array(json_object('id', t.id, 'name', t.name, 'slug', t.slug))
    FROM (SELECT t.id, t.name, t.slug FROM ArticleTag at JOIN Tag t ON t.id = at.tagId WHERE at.articleId = a.id ORDER BY at.position) t)),
  'cover', json(CASE WHEN m.id IS NULL THEN NULL ELSE json_object(
    'id', m.id, 'kind', m.kind, 'url', m.url, 'mimeType', m.mimeType, 'sizeBytes', m.sizeBytes, 'width', m.width, 'height', m.height,
    'durationSeconds', m.durationSeconds, 'caption', m.caption, 'altText', m.altText, 'credit', m.credit, 'source', m.source,
    'focalX', m.focalX, 'focalY', m.focalY, 'dominantColor', m.dominantColor,
    'renditions', json((SELECT json_group_array(json_object('url', '/v1/media/files/renditions/' || mr.storageKey, 'aspectRatio', mr.aspectRatio,
      'width', mr.width, 'height', mr.height, 'mimeType', mr.mimeType, 'format', mr.format, 'sizeBytes', mr.sizeBytes))
      FROM MediaRendition mr WHERE mr.mediaId = m.id)),
    'createdAt', ${sqliteIso('m.createdAt')}, 'updatedAt', ${sqliteIso('m.updatedAt')}) END),
  'publishedAt', ${sqliteIso('a.publishedAt')}, 'updatedAt', ${sqliteIso('a.updatedAt')}`;

const sqliteArticle = `
  SELECT json_object(${sqliteSummary},
    'body', json(a.body), 'keyPoints', json(a.keyPoints), 'seoTitle', a.seoTitle, 'seoDescription', a.seoDescription) AS json
  FROM Article a LEFT JOIN Rubric r ON r.id = a.rubricId LEFT JOIN Media m ON m.id = a.coverMediaId
  WHERE a.slug = ? AND a.status = 'published' AND a.deletedAt IS NULL`;

const sqliteList = `
  SELECT json_object(${sqliteSummary}) AS json
  FROM Rubric r JOIN Article a ON a.rubricId = r.id LEFT JOIN Media m ON m.id = a.coverMediaId
  WHERE r.slug = ? AND a.status = 'published' AND a.deletedAt IS NULL AND a.publishedAt <= ?
  ORDER BY a.publishedAt DESC, a.id DESC LIMIT ${listSize}`;

const pgIso = (column: string) => `to_char(${column}, 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

const pgSummary = `
  'id', a.id, 'slug', a.slug, 'title', a.title, 'lead', a.lead,
  'rubric', CASE WHEN r.id IS NULL THEN NULL ELSE json_build_object('id', r.id, 'name', r.name, 'slug', r.slug) END,
  'authors', (SELECT coalesce(json_agg(json_build_object('id', u.id, 'displayName', u."displayName", 'slug', u.slug) ORDER BY aa.position), '[]')
    FROM "ArticleAuthor" aa JOIN "User" u ON u.id = aa."userId" WHERE aa."articleId" = a.id),
  'tags', (SELECT coalesce(json_agg(json_build_object('id', t.id, 'name', t.name, 'slug', t.slug) ORDER BY at.position), '[]')
    FROM "ArticleTag" at JOIN "Tag" t ON t.id = at."tagId" WHERE at."articleId" = a.id),
  'cover', CASE WHEN m.id IS NULL THEN NULL ELSE json_build_object(
    'id', m.id, 'kind', m.kind, 'url', m.url, 'mimeType', m."mimeType", 'sizeBytes', m."sizeBytes", 'width', m.width, 'height', m.height,
    'durationSeconds', m."durationSeconds", 'caption', m.caption, 'altText', m."altText", 'credit', m.credit, 'source', m.source,
    'focalX', m."focalX", 'focalY', m."focalY", 'dominantColor', m."dominantColor",
    'renditions', (SELECT coalesce(json_agg(json_build_object('url', '/v1/media/files/renditions/' || mr."storageKey",
      'aspectRatio', mr."aspectRatio", 'width', mr.width, 'height', mr.height, 'mimeType', mr."mimeType", 'format', mr.format,
      'sizeBytes', mr."sizeBytes")), '[]') FROM "MediaRendition" mr WHERE mr."mediaId" = m.id),
    'createdAt', ${pgIso('m."createdAt"')}, 'updatedAt', ${pgIso('m."updatedAt"')}) END,
  'publishedAt', ${pgIso('a."publishedAt"')}, 'updatedAt', ${pgIso('a."updatedAt"')}`;

const pgArticle = `
  SELECT json_build_object(${pgSummary},
    'body', a.body, 'keyPoints', a."keyPoints", 'seoTitle', a."seoTitle", 'seoDescription', a."seoDescription")::text AS json
  FROM "Article" a LEFT JOIN "Rubric" r ON r.id = a."rubricId" LEFT JOIN "Media" m ON m.id = a."coverMediaId"
  WHERE a.slug = $1 AND a.status = 'published' AND a."deletedAt" IS NULL`;

const pgList = `
  SELECT json_build_object(${pgSummary})::text AS json
  FROM "Rubric" r JOIN "Article" a ON a."rubricId" = r.id LEFT JOIN "Media" m ON m.id = a."coverMediaId"
  WHERE r.slug = $1 AND a.status = 'published' AND a."deletedAt" IS NULL AND a."publishedAt" <= $2
  ORDER BY a."publishedAt" DESC, a.id DESC LIMIT ${listSize}`;

interface Lookup {
  article: (slug: string) => Promise<string | undefined>;
  list: (rubricSlug: string, now: Date) => Promise<string[]>;
  close: () => Promise<void>;
}

function sqliteLookup(file: string): Lookup {
  const db = new Database(file, { readonly: true });
  const article = db.prepare<[string], { json: string }>(sqliteArticle);
  const list = db.prepare<[string, string], { json: string }>(sqliteList);
  return {
    article: async (slug) => article.get(slug)?.json,
    list: async (rubric, now) => list.all(rubric, now.toISOString().replace('Z', '+00:00')).map((row) => row.json),
    close: async () => void db.close(),
  };
}

function postgresLookup(url: string): Lookup {
  // As many connections as the CMS's pool; a named query is prepared once on each.
  const pool = new pg.Pool({ connectionString: url, max: 10 });
  return {
    article: async (slug) => (await pool.query<{ json: string }>({ name: 'article', text: pgArticle, values: [slug] })).rows[0]?.json,
    list: async (rubric, now) =>
      (await pool.query<{ json: string }>({ name: 'list', text: pgList, values: [rubric, now] })).rows.map((row) => row.json),
    close: () => pool.end(),
  };
}

export function createLimitApp(dialect: BenchDialect, database: string): LimitApp {
  const lookup = dialect === 'sqlite' ? sqliteLookup(database) : postgresLookup(database);
  const app = express();
  app.get('/v1/articles/:slug', async (req, res) => {
    const json = await lookup.article(req.params.slug);
    if (json === undefined) {
      res.status(404).json({ title: 'Not found' });
      return;
    }
    res.type('application/json').send(json);
  });
  app.get('/v1/articles', async (req, res) => {
    const items = await lookup.list(String(req.query.rubric ?? ''), new Date());
    res.type('application/json').send(`{"items":[${items.join(',')}],"nextCursor":null}`);
  });
  return { app, close: lookup.close };
}

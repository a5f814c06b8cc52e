import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Sqlite from 'better-sqlite3';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { createDatabase, type Database } from '../../src/db/database.ts';
import { sqlitePathOf, type Dialect } from '../../src/db/dialect.ts';
import { createTestDatabase, testedDialects } from '../support/test-app.ts';
import { admin, startServer, type ServerProcess } from '../webhooks/server-process.ts';

// Each round: a server, writers streaming article changes at it, and SIGKILL in the middle of the stream.
const rounds = 3;
const writers = 4;
// The server is killed after at least this many answers, at a moment an article is committed but its create not answered.
const minAnswersPerRound = 8;
// ... or at this many, if that moment was never seen.
const maxAnswersPerRound = 40;

interface Answer {
  status: number;
  etag: string | null;
  body: Record<string, unknown>;
}

/** One JSON request with the caller's token; rejects when the server is gone (killed in the middle of it). */
async function send(port: number, token: string, method: string, path: string, body?: unknown, ifMatch?: string): Promise<Answer> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(ifMatch ? { 'if-match': ifMatch } : {}),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  return { status: res.status, etag: res.headers.get('etag'), body: text ? (JSON.parse(text) as Record<string, unknown>) : {} };
}

interface Stream {
  /** Told of each answer, and whether it answered a create. */
  answered: (isCreate: boolean) => void;
  isKilled: () => boolean;
}

/** Creates, edits, publishes and edits again article after article until the server dies; every answer must be a success. */
async function writeUntilKilled(port: number, token: string, name: string, stream: Stream): Promise<void> {
  const step = async (method: string, path: string, body: unknown, ifMatch?: string): Promise<Answer> => {
    const answer = await send(port, token, method, path, body, ifMatch);
    expect(answer.status, `${method} ${path}: ${JSON.stringify(answer.body)}`).toBeLessThan(300);
    stream.answered(method === 'POST' && path === '/v1/admin/articles');
    return answer;
  };
  try {
    for (let i = 0; ; i++) {
      const title = `${name}, статья ${i}`;
      const created = await step('POST', '/v1/admin/articles', { title, body: [{ type: 'paragraph', text: `Текст: ${title}.` }] });
      const path = `/v1/admin/articles/${created.body.id as string}`;
      const edited = await step('PATCH', path, { title: `${title} (правка)` }, created.etag!);
      const published = await step('POST', `${path}/publish`, undefined, edited.etag!);
      await step('PATCH', path, { lead: `Подводка: ${title}.` }, published.etag!);
    }
  } catch (error) {
    // The server was killed under this writer: its request got no answer, or half of one.
    if (stream.isKilled() && error instanceof TypeError) return;
    throw error;
  }
}

/** Counts the articles in the database from outside the server: what it has committed, answered or not. */
async function articleCounter(
  dialect: Dialect,
  databaseUrl: string,
): Promise<{ count: () => Promise<number>; close: () => Promise<void> }> {
  if (dialect === 'sqlite') {
    const db = new Sqlite(sqlitePathOf(databaseUrl), { readonly: true, timeout: 5000 });
    const statement = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM "Article"');
    return { count: async () => statement.get()!.n, close: async () => void db.close() };
  }
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  return {
    count: async () => Number((await client.query('SELECT count(*) AS n FROM "Article"')).rows[0].n),
    close: () => client.end(),
  };
}

/**
 * Starts the server and lets the writers run; SIGKILLs the server process when an article is seen committed
 * whose create has not been answered yet: that request is between its commit and its answer, where work done
 * after the commit (an audit event written then) is lost.
 */
async function killDuringWrites(dialect: Dialect, databaseUrl: string, dir: string, isFirstRound: boolean): Promise<number> {
  const server: ServerProcess = await startServer(databaseUrl, dir, { WEBHOOK_WORKER: 'off', RATE_LIMIT_MANAGEMENT: 'off' });
  const articles = await articleCounter(dialect, databaseUrl);
  try {
    const login = await fetch(`http://127.0.0.1:${server.port}/v1/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(admin),
    });
    const token = ((await login.json()) as { accessToken: string }).accessToken;
    // Every change then has a delivery to make: the outbox is checked with them.
    if (isFirstRound) {
      const hook = await send(server.port, token, 'POST', '/v1/admin/webhooks', { url: 'http://127.0.0.1:9/hook', events: ['*'] });
      expect(hook.status).toBe(201);
    }
    const before = await articles.count();
    let [answers, createsAnswered, isKilled, isStopped] = [0, 0, false, false];
    const kill = () => {
      isKilled ||= server.child.kill('SIGKILL');
    };
    const stream: Stream = {
      answered: (isCreate) => {
        answers++;
        if (isCreate) createsAnswered++;
        if (answers >= maxAnswersPerRound) kill();
      },
      isKilled: () => isKilled,
    };
    const writing = Promise.all(
      Array.from({ length: writers }, (_, i) => writeUntilKilled(server.port, token, `Автор ${i + 1}`, stream)),
    ).finally(() => {
      isStopped = true;
    });
    // Watches each commit as it lands; yields to the writers between two looks.
    while (!isKilled && !isStopped) {
      const committed = (await articles.count()) - before;
      if (answers >= minAnswersPerRound && committed > createsAnswered) kill();
      else await new Promise(setImmediate);
    }
    await writing;
    expect(await server.exited).toBeNull();
    return answers;
  } finally {
    server.child.kill('SIGKILL');
    await articles.close();
  }
}

/** What the database holds after the kills, read directly; each line a broken rule (none, when consistent). */
async function inconsistencies(db: Database): Promise<string[]> {
  const p = db.prisma;
  const [articles, revisions, audit, events, deliveries, subscriptions] = await Promise.all([
    p.article.findMany({ select: { id: true, title: true, version: true } }),
    p.articleRevision.findMany({ select: { articleId: true, number: true, content: true } }),
    p.auditEvent.findMany({ where: { targetType: 'article' }, select: { action: true, targetId: true } }),
    p.webhookEvent.findMany({ select: { id: true, type: true, entityId: true } }),
    p.webhookDelivery.findMany({ select: { eventId: true, subscriptionId: true } }),
    p.webhookSubscription.findMany({ select: { id: true } }),
  ]);
  const count = <T>(rows: T[], match: (row: T) => boolean) => rows.filter(match).length;
  const broken: string[] = [];
  const articleIds = new Set(articles.map((a) => a.id));
  // Nothing here deletes an article: every audit event names one that exists.
  for (const entry of audit) if (!articleIds.has(entry.targetId!)) broken.push(`${entry.action} of a missing article ${entry.targetId}`);
  for (const article of articles) {
    const entries = (action: string) => count(audit, (e) => e.targetId === article.id && e.action === action);
    const outbox = (type: string) => count(events, (e) => e.entityId === article.id && e.type === type);
    const [updates, publications] = [entries('article.update'), entries('article.publish')];
    const own = revisions.filter((r) => r.articleId === article.id).sort((a, b) => a.number - b.number);
    const facts = {
      creates: entries('article.create'),
      // Each write bumps the version once, in the transaction that writes its audit event.
      version: article.version === 1 + updates + publications,
      // A revision for the creation and each save (articles.context addRevision), numbered with the version it made.
      revisions: own.length === 1 + updates && own[0]?.number === 1 && own.every((r) => r.number <= article.version),
      latestRevisionIsTheArticle: (own.at(-1)?.content as { title?: string } | undefined)?.title === article.title,
      outbox: [outbox('article.created'), outbox('article.updated'), outbox('article.published')].join('/'),
    };
    const expected = {
      creates: 1,
      version: true,
      revisions: true,
      latestRevisionIsTheArticle: true,
      outbox: `1/${updates}/${publications}`,
    };
    if (JSON.stringify(facts) !== JSON.stringify(expected)) {
      broken.push(`article ${article.id} (version ${article.version}): ${JSON.stringify(facts)}, expected ${JSON.stringify(expected)}`);
    }
  }
  // The subscription was made before any article: each event has its one delivery.
  for (const event of events) {
    const made = count(deliveries, (d) => d.eventId === event.id && d.subscriptionId === subscriptions[0]?.id);
    if (made !== 1) broken.push(`${event.type} of ${event.entityId} has ${made} deliveries`);
  }
  return broken;
}

function killTest(dialect: Dialect) {
  const dir = mkdtempSync(join(tmpdir(), 'cms-kill-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('when the server is killed (SIGKILL) in the middle of a stream of article writes, then every change it committed is whole: audit events, revisions and outbox included', async () => {
    // SQLite in a file, as a server runs it (the test template copied there); PostgreSQL in a database of its own.
    const database = await createTestDatabase(dialect);
    try {
      let answered = 0;
      for (let round = 0; round < rounds; round++) answered += await killDuringWrites(dialect, database.url, dir, round === 0);
      expect(answered).toBeGreaterThanOrEqual(rounds * minAnswersPerRound);

      const db = createDatabase(database.url);
      try {
        expect(await db.prisma.article.count()).toBeGreaterThanOrEqual(rounds);
        expect(await inconsistencies(db)).toEqual([]);
      } finally {
        await db.close();
      }
    } finally {
      await database.drop();
    }
  }, 240_000);
}

for (const dialect of testedDialects()) describe(`writes killed by SIGKILL [${dialect}]`, () => killTest(dialect));

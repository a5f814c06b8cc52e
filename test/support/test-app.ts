import { randomBytes } from 'node:crypto';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import type { DestinationStream } from 'pino';
import supertest from 'supertest';
import { afterAll, beforeAll, describe, inject } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createContainer, type Container } from '../../src/container.ts';
import type { Dialect } from '../../src/db/dialect.ts';
import { createLogger } from '../../src/http/logger.ts';
import type { Role, Scope } from '../../src/shared/actor.ts';
import type { UserResponse } from '../../src/modules/users/users.schemas.ts';
import { OpenApiChecker } from './openapi-check.ts';

// One checker per test file: every response of every test is checked against openapi.yaml.
let sharedChecker: OpenApiChecker | undefined;

export interface TestApp {
  dialect: Dialect;
  container: Container;
  http: () => supertest.Agent;
  /** The clock the app reads; tests move it with `clock.set(...)`. */
  clock: TestClock;
  /** SQL statements run since the last `queries.reset()`. */
  queries: { count: () => number; reset: () => void };
  /** Checks every response against openapi.yaml; close() fails the suite on a mismatch. */
  checker: OpenApiChecker;
  close: () => Promise<void>;
  /** Stops the app as a server would stop and starts a new one on the same database and clock. */
  restart: () => Promise<void>;
  /** A second instance of the app on the same database, with a clock of its own (closed with close()). */
  startInstance: (clock?: TestClock) => Instance;
  /** Creates an active user of the role and returns it with a real session and its signed access token. */
  signIn: (role: Role, fields?: Partial<{ email: string; displayName: string }>) => Promise<SignedIn>;
  /** Creates an API key with the scopes and returns its secret and headers. */
  apiKey: (scopes: Scope[]) => Promise<TestApiKey>;
}

export interface Instance {
  container: Container;
  clock: TestClock;
  http: () => supertest.Agent;
}

export interface SignedIn {
  user: UserResponse;
  /** The session the token belongs to: `container.tokens.sign(user.id, sessionId)` signs a fresh token of it. */
  sessionId: string;
  token: string;
  headers: Record<string, string>;
}

export interface TestApiKey {
  id: string;
  key: string;
  headers: Record<string, string>;
}

export const testPassword = 'correct-horse-battery-staple';

export class TestClock {
  #now: Date;
  constructor(start = new Date('2026-11-20T09:00:00.000Z')) {
    this.#now = start;
  }
  now = (): Date => new Date(this.#now);
  set(date: Date | string): void {
    this.#now = new Date(date);
  }
  advance(ms: number): void {
    this.#now = new Date(this.#now.getTime() + ms);
  }
}

/** The dialects this run tests: SQLite always, PostgreSQL when the global setup found it. */
export function testedDialects(): Dialect[] {
  return inject('postgresTemplate') ? ['sqlite', 'postgresql'] : ['sqlite'];
}

/** `describe` once per tested dialect; the callback gets the dialect to build its app on. */
export function describeEachDialect(name: string, fn: (dialect: Dialect) => void): void {
  for (const dialect of testedDialects()) describe(`${name} [${dialect}]`, () => fn(dialect));
}

/** A fresh, migrated database of the dialect (a copy of the run's template), for tests that start servers themselves. */
export const createTestDatabase = (dialect: Dialect) => freshDatabaseUrl(dialect);

async function freshDatabaseUrl(dialect: Dialect): Promise<{ url: string; drop: () => Promise<void> }> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'cms-db-'));
    const file = join(dir, 'test.db');
    copyFileSync(inject('sqliteTemplate'), file);
    return { url: `file:${file}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const template = new URL(inject('postgresTemplate') as string);
  const name = `cms_test_${randomBytes(6).toString('hex')}`;
  const server = new URL(template);
  server.pathname = '/postgres';
  const admin = new pg.Client({ connectionString: server.toString() });
  await admin.connect();
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template.pathname.slice(1)}"`);
        break;
      } catch (error) {
        // Two files copying the template at the same moment: one waits and tries again.
        if (attempt >= 20 || !/being accessed by other users/.test(String(error))) throw error;
        await new Promise((r) => setTimeout(r, 100 + Math.random() * 200));
      }
    }
  } finally {
    await admin.end();
  }
  const url = new URL(template);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: server.toString() });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await client.end();
      }
    },
  };
}

export interface TestAppOptions {
  /** Where the app's JSON log lines go (at level info); without it the app logs nothing. */
  logStream?: DestinationStream;
}

/** Boots the real app in-process on a fresh, migrated database of the given dialect. */
export async function createTestApp(
  dialect: Dialect = 'sqlite',
  env: Record<string, string> = {},
  options: TestAppOptions = {},
): Promise<TestApp> {
  const database = await freshDatabaseUrl(dialect);
  // Suites set up data through services and SQL, behind the HTTP layer that purges the public cache, so
  // they read with no in-process store; test/caching turns it on (the caching headers are always sent).
  const config = loadConfig({
    NODE_ENV: 'test',
    DATABASE_URL: database.url,
    JWT_SECRET: 'test-secret-0123456789-abcdefghijklmnop',
    LOG_LEVEL: 'silent',
    PUBLIC_CACHE: 'off',
    // Suites make hundreds of writes per user in a minute; test/rate-limits sets the limits it tests.
    RATE_LIMIT_MANAGEMENT: 'off',
    ...env,
  });
  const clock = new TestClock();
  let queryCount = 0;
  const build = (instanceClock: TestClock) =>
    createContainer(config, {
      logger: options.logStream ? createLogger('info', options.logStream) : createLogger('silent'),
      now: instanceClock.now,
      onQuery: () => {
        queryCount++;
      },
    });
  let container = build(clock);
  const others: Container[] = [];
  sharedChecker ??= new OpenApiChecker();
  const checker = sharedChecker;
  const failuresBefore = checker.failures.length;
  let userCount = 0;
  const signIn = async (role: Role, fields: Partial<{ email: string; displayName: string }> = {}): Promise<SignedIn> => {
    userCount++;
    const user = await container.services.users.create({
      email: fields.email ?? `${role}${userCount}@test.example`,
      password: testPassword,
      displayName: fields.displayName ?? `Тестовый ${role} ${userCount}`,
      role,
    });
    // A real session, as a sign-in makes: every access token belongs to one.
    const { sessionId, pair } = await container.services.auth.startSession(user.id);
    return { user, sessionId, token: pair.accessToken, headers: { Authorization: `Bearer ${pair.accessToken}` } };
  };
  const apiKey = async (scopes: Scope[]): Promise<TestApiKey> => {
    const admin = { type: 'user' as const, userId: 'test', role: 'admin' as const };
    const created = await container.services.apiKeys.create({ name: `key ${scopes.join('+')}`, scopes }, { ...admin, userId: '' });
    return { id: created.id, key: created.key, headers: { Authorization: `Bearer ${created.key}` } };
  };
  const app: TestApp = {
    dialect,
    container,
    signIn,
    apiKey,
    clock,
    http: () => supertest.agent(checker.wrap(container.app)),
    restart: async () => {
      await container.close();
      container = build(clock);
      app.container = container;
    },
    startInstance: (instanceClock = new TestClock(clock.now())) => {
      const other = build(instanceClock);
      others.push(other);
      return { container: other, clock: instanceClock, http: () => supertest.agent(checker.wrap(other.app)) };
    },
    checker,
    queries: {
      count: () => queryCount,
      reset: () => {
        queryCount = 0;
      },
    },
    close: async () => {
      await Promise.all(others.map((other) => other.close()));
      await container.close();
      await database.drop();
      const failures = checker.failures.slice(failuresBefore);
      if (failures.length)
        throw new Error(
          `Responses that do not match openapi.yaml (after changing routes or schemas, regenerate it with \`npm run openapi\`; a status the route answers must be declared in its definition: \`errors\` or \`extraResponses\`):\n  ${[...new Set(failures)].join('\n  ')}`,
        );
    },
  };
  return app;
}

/** Who `useTestApp` signs in under a name: a role, or a role with the email or display name a test looks for. */
export type SignInAs = Role | { role: Role; email?: string; displayName?: string };

export interface UseTestAppOptions<R extends Role, U extends Record<string, SignInAs>, K extends Record<string, Scope[]>> {
  /** Users signed in once, each named after its role: `roles: ['admin']` gives `admin`. */
  roles?: readonly R[];
  /** Users signed in once under names of their own (two authors, a display name), after `roles`, in order. */
  users?: U;
  /** API keys created once, by name: `keys: { importer: ['write'] }` gives `importer`. */
  keys?: K;
  env?: Record<string, string>;
  /** A fresh MEDIA_DIR in a temporary folder, removed after the app closes (`t.container.config.mediaDir`). */
  mediaDir?: boolean;
  /** Where the app's JSON log lines go (at level info). */
  logStream?: DestinationStream;
}

export type UsedTestApp<R extends Role, U, K> = { t: TestApp } & { [name in R]: SignedIn } & { [name in keyof U]: SignedIn } & {
  [name in keyof K]: TestApiKey;
};

/**
 * The usual suite setup: a fresh app of the dialect with its users and API keys, made in `beforeAll`
 * and closed in `afterAll`. Call it in a describe block and destructure what it returns:
 * `const { t, admin, writer } = useTestApp(dialect, { roles: ['admin'], keys: { writer: ['write'] } })`.
 * Each field stands in for its value from `beforeAll` on, so tests and later hooks use them as usual.
 */
export function useTestApp<
  R extends Role = never,
  U extends Record<string, SignInAs> = Record<never, never>,
  K extends Record<string, Scope[]> = Record<never, never>,
>(dialect: Dialect, options: UseTestAppOptions<R, U, K> = {}): UsedTestApp<R, U, K> {
  const names = ['t', ...(options.roles ?? []), ...Object.keys(options.users ?? {}), ...Object.keys(options.keys ?? {})];
  const repeated = names.find((name, i) => names.indexOf(name) !== i);
  if (repeated) throw new Error(`useTestApp: \`${repeated}\` is named twice.`);
  let app: TestApp | undefined;
  let mediaDir: string | undefined;
  const made = new Map<string, object>();
  beforeAll(async () => {
    let env = options.env ?? {};
    if (options.mediaDir) {
      mediaDir = mkdtempSync(join(tmpdir(), 'cms-media-'));
      env = { MEDIA_DIR: mediaDir, ...env };
    }
    app = await createTestApp(dialect, env, options.logStream ? { logStream: options.logStream } : {});
    made.set('t', app);
    for (const role of options.roles ?? []) made.set(role, await app.signIn(role));
    for (const [name, as] of Object.entries<SignInAs>(options.users ?? {})) {
      const { role, ...fields } = typeof as === 'string' ? { role: as } : as;
      made.set(name, await app.signIn(role, fields));
    }
    for (const [name, scopes] of Object.entries<Scope[]>(options.keys ?? {})) made.set(name, await app.apiKey(scopes));
  });
  afterAll(async () => {
    try {
      await app?.close();
    } finally {
      if (mediaDir) rmSync(mediaDir, { recursive: true, force: true });
    }
  });
  return Object.fromEntries(names.map((name) => [name, madeInBeforeAll(name, () => made.get(name))])) as UsedTestApp<R, U, K>;
}

/**
 * Stands in for a value that a `beforeAll` makes: every read, write and key lookup goes to the value.
 * Used before it exists (while tests are being collected), it says so rather than reading undefined.
 */
function madeInBeforeAll<T extends object>(name: string, current: () => T | undefined): T {
  const value = (): T => {
    const made = current();
    if (!made) throw new Error(`\`${name}\` from useTestApp exists from beforeAll on: use it in a test or a hook.`);
    return made;
  };
  return new Proxy({} as T, {
    // Not yet made: answer `then` and symbols (await, inspection) rather than throw.
    get: (_, key) => ((typeof key === 'symbol' || key === 'then') && !current() ? undefined : Reflect.get(value(), key)),
    set: (_, key, newValue) => Reflect.set(value(), key, newValue),
    has: (_, key) => Reflect.has(value(), key),
    ownKeys: () => Reflect.ownKeys(value()),
    getOwnPropertyDescriptor: (_, key) => Reflect.getOwnPropertyDescriptor(value(), key),
  });
}

import { randomUUID } from 'node:crypto';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.ts';
import { createContainer } from '../../src/container.ts';
import { createLogger } from '../../src/http/logger.ts';
import { roles, scopes, type Role, type Scope } from '../../src/shared/actor.ts';
import { describeEachDialect, useTestApp } from '../support/test-app.ts';

type Method = 'get' | 'post' | 'patch' | 'put' | 'delete';
type XAccess = 'public' | 'authenticated' | { roles: Role[]; scope: Scope };
interface Operation {
  method: Method;
  path: string;
  access: XAccess;
}

const methods: Method[] = ['get', 'post', 'patch', 'put', 'delete'];

/** Every documented operation with its `x-access` rule. */
function operationsOf(document: { paths?: Record<string, unknown> }): Operation[] {
  return Object.entries(document.paths ?? {}).flatMap(([path, item]) =>
    methods
      .filter((method) => (item as Record<string, unknown>)[method])
      .map((method) => ({ method, path, access: (item as Record<string, { 'x-access': XAccess }>)[method]!['x-access'] })),
  );
}

// The cells must be known when the tests are collected, before any database exists. The document comes
// from the route declarations alone (as `npm run openapi` builds it); a test below checks that the app
// under test documents the same operations.
const documentOnly = createContainer(loadConfig({ NODE_ENV: 'test', DATABASE_URL: 'file::memory:' }), { logger: createLogger('silent') });
const operations = operationsOf(documentOnly.app.openApiDocument());
await documentOnly.close();

const guarded = operations.filter((op): op is Operation & { access: { roles: Role[]; scope: Scope } } => typeof op.access === 'object');
const authenticatedOnly = operations.filter((op) => op.access === 'authenticated');
const publicOnes = operations.filter((op) => op.access === 'public');

type Caller = { name: string; role: Role } | { name: string; scope: Scope };
const callers: Caller[] = [
  ...roles.map((role) => ({ name: `an ${role}`, role })),
  ...scopes.map((scope) => ({ name: `an API key with scope "${scope}"`, scope })),
];

const isAdmitted = (caller: Caller, access: { roles: Role[]; scope: Scope }) =>
  'role' in caller ? access.roles.includes(caller.role) : caller.scope === access.scope || caller.scope === 'admin';

const label = (op: Operation) => `${op.method.toUpperCase()} ${op.path}`;

/** The management resources the CMS must offer; the matrix covers whatever else is documented too. */
const requiredResources = ['articles', 'rubrics', 'feed-items', 'media', 'tags', 'users', 'api-keys'];

describe('the documented access rules', () => {
  it('when the document is read, then it has operations guarded by roles and scopes', () => {
    expect(guarded.length).toBeGreaterThan(0);
  });

  it.each(requiredResources)(
    'when the management routes for %s are documented, then there are list, create and per-id operations',
    (resource) => {
      const collection = `/v1/admin/${resource}`;
      const documented = operations.filter((op) => op.path === collection || op.path.startsWith(`${collection}/`)).map(label);
      expect(documented, `documented operations under ${collection}`).toEqual(
        expect.arrayContaining([`GET ${collection}`, `POST ${collection}`]),
      );
      expect(
        documented.some((l) => l.includes(`${collection}/{`)),
        `an operation on ${collection}/{id}`,
      ).toBe(true);
    },
  );

  it('when a route is under /v1/admin, then it is guarded by roles and a scope, and admins are admitted', () => {
    const loose = operations
      .filter((op) => op.path.startsWith('/v1/admin/') && (typeof op.access !== 'object' || !op.access.roles.includes('admin')))
      .map(label);
    expect(loose).toEqual([]);
  });

  it('when a route manages users or API keys, then only admins and admin keys are admitted', () => {
    const loose = guarded
      .filter((op) => /^\/v1\/admin\/(users|api-keys)(\/|$)/.test(op.path))
      .filter((op) => op.access.roles.join() !== 'admin' || op.access.scope !== 'admin')
      .map(label);
    expect(loose).toEqual([]);
  });
});

describeEachDialect('the role × route matrix', (dialect) => {
  const { t } = useTestApp(dialect);
  const headersOf = new Map<string, Record<string, string>>();
  beforeAll(async () => {
    for (const caller of callers) {
      headersOf.set(caller.name, 'role' in caller ? (await t.signIn(caller.role)).headers : (await t.apiKey([caller.scope])).headers);
    }
  });

  // Made-up ids and an empty body: an admitted caller may get 404 or 422, never 401 or 403.
  const call = (op: Operation, headers: Record<string, string> = {}) => {
    const url = op.path.replace(/\{[^}]+\}/g, () => randomUUID());
    const request = t.http()[op.method](url).set(headers);
    return op.method === 'post' || op.method === 'patch' || op.method === 'put' ? request.send({}) : request;
  };
  const describeAnswer = (res: { status: number; body: { code?: string; detail?: string } }) =>
    `${res.status} ${res.body?.code ?? ''}: ${res.body?.detail ?? ''}`;

  it('when the app under test is asked for its document, then it documents the operations the matrix was built from', () => {
    expect(operationsOf(t.container.app.openApiDocument()).map(label).sort()).toEqual(operations.map(label).sort());
  });

  for (const op of guarded) {
    const rule = `roles: ${op.access.roles.join(', ')}; scope: ${op.access.scope}`;
    describe(`${label(op)} (${rule})`, () => {
      it('when nobody calls it, then 401', async () => {
        const res = await call(op);
        expect(res.status, describeAnswer(res)).toBe(401);
        expect(res.headers['www-authenticate']).toMatch(/^Bearer /);
      });

      for (const caller of callers) {
        if (isAdmitted(caller, op.access)) {
          it(`when ${caller.name} calls it, then it is let through (not 401/403)`, async () => {
            const res = await call(op, headersOf.get(caller.name));
            expect([401, 403], describeAnswer(res)).not.toContain(res.status);
            // A made-up id or an empty body is the caller's mistake, never a server error.
            expect(res.status, describeAnswer(res)).toBeLessThan(500);
          });
        } else {
          it(`when ${caller.name} calls it, then 403`, async () => {
            const res = await call(op, headersOf.get(caller.name));
            expect(res.status, describeAnswer(res)).toBe(403);
            expect(res.type).toBe('application/problem+json');
          });
        }
      }
    });
  }

  for (const op of authenticatedOnly) {
    describe(`${label(op)} (any signed-in caller)`, () => {
      it('when nobody calls it, then 401', async () => {
        const res = await call(op);
        expect(res.status, describeAnswer(res)).toBe(401);
      });

      for (const caller of callers) {
        it(`when ${caller.name} calls it, then it is let through (not 401/403)`, async () => {
          const res = await call(op, headersOf.get(caller.name));
          expect([401, 403], describeAnswer(res)).not.toContain(res.status);
          expect(res.status, describeAnswer(res)).toBeLessThan(500);
        });
      }
    });
  }

  for (const op of publicOnes) {
    it(`when nobody calls the public ${label(op)}, then it asks for no credentials`, async () => {
      const res = await call(op);
      expect([401, 403], describeAnswer(res)).not.toContain(res.status);
    });
  }
});

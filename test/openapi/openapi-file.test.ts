import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { generateOpenApiYaml } from '../../src/openapi-file.ts';
import { OpenApiChecker } from '../support/openapi-check.ts';

const committed = readFileSync(new URL('../../openapi.yaml', import.meta.url), 'utf8');

describe('openapi.yaml', () => {
  it('when the routes or schemas change, then openapi.yaml is regenerated (npm run openapi)', () => {
    expect(committed).toBe(generateOpenApiYaml());
  });

  it('when a route is documented, then it has an operationId, a summary, an access rule and a 500', () => {
    const spec = parse(committed) as {
      paths: Record<
        string,
        Record<string, { operationId?: string; summary?: string; 'x-access'?: unknown; responses: Record<string, unknown> }>
      >;
    };
    const operations = Object.entries(spec.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, op]) => ({ where: `${method} ${path}`, op })),
    );
    expect(operations.length).toBeGreaterThan(10);
    for (const { where, op } of operations) {
      expect(op.operationId, where).toBeTruthy();
      expect(op.summary, where).toBeTruthy();
      expect(op['x-access'], where).toBeTruthy();
      expect(op.responses['500'], where).toBeTruthy();
    }
  });

  it('when a response has a field the schema lacks, then the checker reports it', () => {
    const checker = new OpenApiChecker();
    checker.check('GET', '/health', 200, 'application/json', JSON.stringify({ status: 'ok', passwordHash: 'x' }));
    checker.check('GET', '/health', 418, 'application/json', '{}');
    checker.check('GET', '/health', 200, 'application/json', JSON.stringify({ status: 'ok' }));
    expect(checker.failures).toHaveLength(2);
    expect(checker.failures[0]).toMatch(/additional properties/);
    expect(checker.failures[1]).toMatch(/status not documented/);
  });
});

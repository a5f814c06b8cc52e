import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { parse } from 'yaml';

type Json = Record<string, unknown>;

interface Operation {
  pathPattern: RegExp;
  template: string;
  method: string;
  responses: Record<string, { content?: Record<string, { schema: Json }> }>;
}

/** Response objects in the spec are open by default; in tests they are closed so a leaked column fails. */
function closeObjects(node: unknown): void {
  if (Array.isArray(node)) {
    for (const item of node) closeObjects(item);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const schema = node as Json;
  if (schema.type === 'object' && schema.properties && !('additionalProperties' in schema)) schema.additionalProperties = false;
  Object.values(schema).forEach(closeObjects);
}

/**
 * Checks real responses against the committed openapi.yaml: the status must be documented for the
 * operation, the content type must match, and a JSON body must validate against the schema.
 */
export class OpenApiChecker {
  readonly #operations: Operation[] = [];
  readonly #ajv: Ajv2020;
  readonly #validators = new Map<string, ValidateFunction>();
  readonly failures: string[] = [];
  checked = 0;

  constructor(specPath = new URL('../../openapi.yaml', import.meta.url)) {
    const spec = parse(readFileSync(specPath, 'utf8')) as Json;
    const components = structuredClone((spec.components as Json | undefined)?.schemas ?? {}) as Json;
    const problem = components.Problem as Json | undefined;
    closeObjects(components);
    if (problem) (components.Problem as Json).additionalProperties = true;
    this.#ajv = new Ajv2020({ strict: false, allErrors: true });
    (addFormats as unknown as (ajv: Ajv2020) => void)(this.#ajv);
    // Inside the spec document, component refs point at its $defs.
    this.#ajv.addSchema({ $id: 'spec', $defs: JSON.parse(JSON.stringify(components).replaceAll('#/components/schemas/', '#/$defs/')) });
    // A response may be a reference to components.responses (the 503 of every write).
    const sharedResponses = ((spec.components as Json | undefined)?.responses ?? {}) as Record<string, Json>;
    const resolved = (responses: Record<string, Json>) =>
      Object.fromEntries(
        Object.entries(responses).map(([status, r]) => [
          status,
          typeof r.$ref === 'string' ? (sharedResponses[r.$ref.replace('#/components/responses/', '')] ?? r) : r,
        ]),
      );
    for (const [template, item] of Object.entries((spec.paths ?? {}) as Record<string, Json>)) {
      const pathPattern = new RegExp(`^${template.replace(/\{[^}]+\}/g, '[^/]+')}$`);
      for (const [method, op] of Object.entries(item)) {
        this.#operations.push({
          template,
          pathPattern,
          method: method.toUpperCase(),
          responses: resolved((op as Json).responses as Record<string, Json>) as Operation['responses'],
        });
      }
    }
    // Literal paths before templated ones, so /v1/articles/{slug} does not shadow a fixed route.
    this.#operations.sort((a, b) => Number(a.template.includes('{')) - Number(b.template.includes('{')));
  }

  check(method: string, url: string, status: number, contentType: string | undefined, body: string): void {
    const path = url.split('?')[0] ?? url;
    if (method === 'OPTIONS' || method === 'HEAD') return;
    const candidates = this.#operations.filter((o) => o.pathPattern.test(path));
    if (candidates.length === 0) return; // an unknown route: its 404 is the app's, not an operation's
    const operation = candidates.find((o) => o.method === method);
    if (!operation) {
      if (status !== 404 && status !== 405) this.failures.push(`${method} ${path}: no such operation in openapi.yaml, answered ${status}`);
      return;
    }
    this.checked++;
    const where = `${method} ${operation.template} → ${status}`;
    const response = operation.responses[String(status)];
    if (!response) {
      this.failures.push(`${where}: status not documented`);
      return;
    }
    if (!response.content) {
      if (body.length > 0) this.failures.push(`${where}: documented without a body but has one`);
      return;
    }
    const mediaType = (contentType ?? '').split(';')[0]?.trim() ?? '';
    // A file download is documented by a range such as image/*; its body is not JSON to validate.
    const content = response.content[mediaType] ?? response.content[`${mediaType.split('/')[0]}/*`];
    if (content && !/^application\/([\w.+-]+\+)?json$/.test(mediaType)) return;
    if (!content) {
      this.failures.push(`${where}: content type ${mediaType || '(none)'} not documented (${Object.keys(response.content).join(', ')})`);
      return;
    }
    const key = `${operation.method} ${operation.template} ${status} ${mediaType}`;
    let validate = this.#validators.get(key);
    if (!validate) {
      const schema = structuredClone(content.schema);
      closeObjects(schema);
      validate = this.#ajv.compile(JSON.parse(JSON.stringify(schema).replaceAll('#/components/schemas/', 'spec#/$defs/')));
      this.#validators.set(key, validate);
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(body);
    } catch {
      this.failures.push(`${where}: body is not JSON`);
      return;
    }
    if (!validate(parsed)) {
      this.failures.push(`${where}: ${this.#ajv.errorsText(validate.errors, { dataVar: 'body' })}`);
    }
  }

  /** Wraps a request handler so that every response it sends is checked. */
  wrap<H extends (req: IncomingMessage, res: ServerResponse) => void>(handler: H): (req: IncomingMessage, res: ServerResponse) => void {
    return (req, res) => {
      const chunks: Buffer[] = [];
      const write = res.write.bind(res) as (...args: unknown[]) => boolean;
      const end = res.end.bind(res) as (...args: unknown[]) => ServerResponse;
      res.write = ((chunk: unknown, ...rest: unknown[]) => {
        if (chunk && typeof chunk !== 'function') chunks.push(Buffer.from(chunk as string));
        return write(chunk, ...rest);
      }) as typeof res.write;
      res.end = ((chunk?: unknown, ...rest: unknown[]) => {
        if (chunk && typeof chunk !== 'function') chunks.push(Buffer.from(chunk as string));
        const url = req.url ?? '';
        try {
          this.check(
            req.method ?? 'GET',
            url,
            res.statusCode,
            res.getHeader('content-type') as string | undefined,
            Buffer.concat(chunks).toString('utf8'),
          );
        } catch (error) {
          this.failures.push(`${req.method} ${url}: the checker failed: ${String(error)}`);
        }
        return end(chunk, ...rest);
      }) as typeof res.end;
      handler(req, res);
    };
  }
}

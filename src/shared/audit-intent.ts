import { AsyncLocalStorage } from 'node:async_hooks';
import type { PrismaTx } from '../db/database.ts';

/**
 * The audit entry a request declared with `audit` owes: the HTTP layer opens it before the handler
 * runs, and the transaction of the change the request makes writes it (through an AuditTrail), so the
 * entry commits with the change or not at all. Services never see express: only this.
 */
export interface AuditIntent {
  /** "user:<id>", "apiKey:<id>" or "anonymous". */
  readonly actor: string;
  readonly action: string;
  /** Only a change to a record of this type writes the entry (an article's publication also writes a feed item). */
  readonly targetType: string;
  readonly requestId: string | null;
  /** Field names and facts, added to until the entry is written; what is added later is merged after the commit. */
  readonly details: Record<string, unknown>;
  /** Set by the first transaction that writes the entry. */
  written?: WrittenAuditEntry;
  /** False once the handler has returned: work it set off (a woken worker) writes no entry for it. */
  isOpen: boolean;
}

/** An audit entry a change's transaction wrote: null `id` while its insert has not answered. */
export interface WrittenAuditEntry {
  id: string | null;
  /** The transaction it was written in: another one asks whether that one committed. */
  tx: PrismaTx;
  /** The details as written, to merge what was added after. */
  details: Record<string, unknown> | null;
}

/**
 * Writes the current request's audit entry in the transaction of the change it makes, naming the record
 * changed (`id` null for a change of many, such as emptying the trash). Nothing happens outside a request
 * declared with `audit`, for a record of another type than the request declared, or once the entry is written.
 */
export interface AuditTrail {
  record(tx: PrismaTx, target: { type: string; id: string | null }, details?: Record<string, unknown>): Promise<void>;
}

/** For services built without an audit log (scripts, some tests). */
export const noAuditTrail: AuditTrail = { record: async () => undefined };

// One store for the process: each request's intent lives in its own asynchronous context.
const intents = new AsyncLocalStorage<AuditIntent>();

/** Runs `fn` (a route's handler) with the intent as the current one, then closes it. */
export async function runWithAuditIntent<T>(intent: AuditIntent, fn: () => Promise<T>): Promise<T> {
  try {
    return await intents.run(intent, fn);
  } finally {
    intent.isOpen = false;
  }
}

/** The audit entry the current request owes, while its handler runs. */
export function currentAuditIntent(): AuditIntent | undefined {
  const intent = intents.getStore();
  return intent?.isOpen ? intent : undefined;
}

/**
 * Adds facts to the current request's audit entry (nothing outside a request declared with `audit`).
 * Call it before the change's transaction ends, so that they commit with it.
 */
export function addAuditDetails(details: Record<string, unknown>): void {
  const intent = currentAuditIntent();
  if (intent) Object.assign(intent.details, details);
}

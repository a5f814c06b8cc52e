import type { WireSettings } from '../../config.ts';
import type { Prisma } from '../../db/database.ts';
import type { Logger } from 'pino';
import type { AuditTrail } from '../../shared/audit-intent.ts';
import type { ImportOutcome, IncomingArticle } from '../../shared/incoming-article.ts';
import { refusalOf } from '../webhooks/index.ts';
import type { NinjsParser } from './wire.feeds.ts';
import { createWirePoller } from './wire.poller.ts';
import { createWireRepository } from './wire.repository.ts';
import { wireAdminRoutes } from './wire.routes.ts';
import { createWireService } from './wire.service.ts';

export interface WireModuleDeps {
  prisma: Prisma;
  now: () => Date;
  logger: Logger;
  settings: WireSettings;
  rubricExists: (id: string) => Promise<boolean>;
  audit: AuditTrail;
  /** One ninjs item → an incoming article (the interchange module's parser). */
  parseNinjs: NinjsParser;
  /** Imports one item as a draft, on behalf of the source (the interchange module's importer with the source's actor). */
  importItem: (item: IncomingArticle, source: { id: string; name: string }) => Promise<ImportOutcome>;
}

/** Agency feeds polled into the incoming desk: the sources' CRUD and their poller (WIRE_WORKER). */
export function createWireModule(deps: WireModuleDeps) {
  const repo = createWireRepository({ prisma: deps.prisma });
  const poller = deps.settings.isWorkerEnabled
    ? createWirePoller({
        repo,
        now: deps.now,
        logger: deps.logger,
        settings: deps.settings,
        parseNinjs: deps.parseNinjs,
        importItem: deps.importItem,
      })
    : undefined;
  const service = createWireService({
    repo,
    now: deps.now,
    refusalOf: (url) => refusalOf(url, deps.settings.allowPrivateAddresses),
    rubricExists: deps.rubricExists,
    wakePoller: () => poller?.wake(),
    audit: deps.audit,
  });
  return {
    service,
    worker: poller,
    adminRoutes: wireAdminRoutes(service),
    publicRoutes: [],
  };
}

export type { WireService } from './wire.service.ts';
export { sourceNamespaceOf } from './wire.poller.ts';

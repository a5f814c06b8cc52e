import { defineRoute, type AnyRoute } from '../../http/route.ts';
import { adminsOnly } from '../../http/access.ts';
import { AuditEventPage, ListAuditEventsQuery } from './audit.schemas.ts';
import type { AuditService } from './audit.service.ts';

// Read-only by design: no route changes or deletes an audit event.
export function auditAdminRoutes(service: AuditService): AnyRoute[] {
  return [
    defineRoute({
      method: 'get',
      path: '/v1/admin/audit',
      operationId: 'listAuditEvents',
      summary: 'The audit log, newest first',
      tag: 'Audit',
      access: adminsOnly,
      description:
        'Who did what to which record, when, in which request: every management write, sign-ins and failed sign-ins, refresh-token reuse. Filters combine with AND; `from` is inclusive, `to` exclusive.',
      query: ListAuditEventsQuery,
      response: AuditEventPage,
      handler: ({ query }) => service.list(query),
    }),
  ];
}

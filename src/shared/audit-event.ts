/** An entry of the audit log, as the route layer and services hand it over. */
export interface AuditEventInput {
  /** "user:<id>", "apiKey:<id>" or "anonymous". */
  actor: string;
  action: string;
  targetType: string | null;
  targetId: string | null;
  requestId: string | null;
  /** Small and free of secrets: field names, a role change, never a password or token. */
  details: Record<string, unknown> | null;
}

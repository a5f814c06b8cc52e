/**
 * Prisma's `contains`, `startsWith` and `endsWith` are SQL LIKE, and pass their text on unescaped: a `%` or `_`
 * a caller types would match anything. This escapes them, and the escape character itself, with a backslash:
 * PostgreSQL's default LIKE escape, which db/ gives SQLite's LIKE too (it has none by default).
 */
export function escapeLikePattern(text: string): string {
  return text.replace(/[\\%_]/g, '\\$&');
}

/** A Prisma string filter that matches the text as it is, anywhere in the value. */
export function containsLiterally(text: string): { contains: string } {
  return { contains: escapeLikePattern(text) };
}

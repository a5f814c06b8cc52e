import { createHash } from 'node:crypto';

/** Statement texts given a name per client: every text the app writes, with room to spare. */
const MAX_NAMED_STATEMENTS = 1000;

/**
 * Names for PostgreSQL's prepared statements, one per statement text: `pg` then parses and plans a text
 * once per connection and afterwards only binds and executes it, where an unnamed statement is parsed
 * again every time. Texts beyond the limit (a query with many variants) run unnamed, as before: `pg`
 * takes the empty name for no name.
 */
export function statementNames(max = MAX_NAMED_STATEMENTS): (query: { sql: string }) => string {
  const names = new Map<string, string>();
  return ({ sql }) => {
    const known = names.get(sql);
    if (known !== undefined) return known;
    if (names.size >= max) return '';
    const name = `cms_${createHash('sha256').update(sql).digest('base64url').slice(0, 32)}`;
    names.set(sql, name);
    return name;
  };
}

import type { Container } from './container.ts';

/** What start-up does once the database is migrated: the first admin, then demo content if asked. */
export async function startUp(_container: Container): Promise<void> {}

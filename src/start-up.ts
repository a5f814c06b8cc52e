import type { Container } from './container.ts';
import { loadDemoContent } from './demo/load-demo.ts';

/** What start-up does once the database is migrated: the first admin, demo content if asked, the search index filled in. */
export async function startUp(container: Container): Promise<void> {
  const { config, services, logger } = container;
  if (config.admin && (await services.users.countUsers()) === 0) {
    await services.users.create({
      email: config.admin.email,
      password: config.admin.password,
      displayName: 'Administrator',
      role: 'admin',
    });
    logger.info({ email: config.admin.email }, 'created the first admin');
  }
  if (config.loadDemoContent && (await loadDemoContent(container))) {
    logger.info('loaded demo content into the empty database (CMS_DEMO=false turns this off)');
  }
  // Articles saved before search existed (or by an older version) join the index before the first request.
  const indexed = await services.searchIndex.indexMissing();
  if (indexed) logger.info({ articles: indexed }, 'added articles to the search index');
}

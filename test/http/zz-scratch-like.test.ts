import { it } from 'vitest';
import { createDatabase } from '../../src/db/database.ts';
import { createTestDatabase, testedDialects } from '../support/test-app.ts';

for (const dialect of testedDialects()) {
  it(`like sql ${dialect}`, async () => {
    const { url, drop } = await createTestDatabase(dialect);
    const sql: string[] = [];
    const db = createDatabase(url, { onQuery: (q) => sql.push(q) });
    await db.prisma.article.findMany({ where: { searchText: { contains: 'a\\%b' } } });
    await db.prisma.$disconnect();
    await drop();
    console.log(dialect, sql.filter((s) => /searchText/.test(s)).map((s) => s.replace(/SELECT .* FROM/, 'SELECT … FROM')));
  });
}

import { expect, it } from 'vitest';
import { useTestApp } from '../support/test-app.ts';

// One SQLite connection serves every request: a query outside a transaction must neither see another
// request's open transaction nor become part of it.
const { t } = useTestApp('sqlite');

it('when a read and a write come while another transaction is open and it rolls back, then the read saw nothing of it and the write is kept', async () => {
  const prisma = t.container.db.prisma;
  let inside!: () => void;
  const isInside = new Promise<void>((resolve) => (inside = resolve));
  const failing = prisma
    .$transaction(async (tx) => {
      await tx.tag.create({ data: { name: 'Откатится', slug: 'otkatitsya' } });
      inside();
      await new Promise((resolve) => setTimeout(resolve, 100));
      throw new Error('a rule broken: roll back');
    })
    .then(
      () => 'committed',
      () => 'rolled back',
    );
  await isInside;
  // Another request's read and write arrive while that transaction is open.
  const [outcome, , seen] = await Promise.all([
    failing,
    prisma.tag.create({ data: { name: 'Останется', slug: 'ostanetsya' } }),
    prisma.tag.count({ where: { slug: 'otkatitsya' } }),
  ]);
  expect(outcome).toBe('rolled back');
  expect(seen).toBe(0);
  expect(await prisma.tag.count({ where: { slug: 'ostanetsya' } })).toBe(1);
  expect(await prisma.tag.count({ where: { slug: 'otkatitsya' } })).toBe(0);
});

import { olderThan } from './cursor.ts';

/** The findMany arguments of a newest-first page: (createdAt, id) descending, after the given key. */
export function newestFirst(take: number, key: [string, string] | undefined, where: Record<string, unknown> = {}) {
  return {
    where: { ...where, ...(key ? olderThan('createdAt', key) : {}) },
    orderBy: [{ createdAt: 'desc' as const }, { id: 'desc' as const }],
    take,
  };
}

/** The where-filter of a conditional write: the record at `expectedVersion`, or at any version when null. */
export const atVersion = (id: string, expectedVersion: number | null) => ({
  id,
  ...(expectedVersion === null ? {} : { version: expectedVersion }),
});

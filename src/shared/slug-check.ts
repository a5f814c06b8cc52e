import { ConflictError, ValidationError } from '../errors.ts';
import { isValidSlug, slugify } from './slug.ts';

/** The slug to store: the one given (checked) or one made from the text, with a suffix when taken. */
export async function resolveSlug(options: {
  given: string | undefined;
  source: string;
  isTaken: (slug: string) => Promise<boolean>;
  field?: string;
}): Promise<string> {
  const field = options.field ?? 'body.slug';
  if (options.given !== undefined) {
    if (!isValidSlug(options.given))
      throw new ValidationError('The slug is not valid.', [
        { field, message: 'Use lower-case latin letters, digits and single hyphens, at most 80 characters' },
      ]);
    if (await options.isTaken(options.given))
      throw new ConflictError(`The slug "${options.given}" is taken.`, 'slug_taken', { slug: options.given });
    return options.given;
  }
  const base = slugify(options.source) || 'item';
  for (let n = 1; n < 1000; n++) {
    const candidate = n === 1 ? base : `${base.slice(0, 80 - String(n).length - 1).replace(/-+$/, '')}-${n}`;
    if (!(await options.isTaken(candidate))) return candidate;
  }
  throw new ConflictError('No free slug could be made; give one.', 'slug_taken');
}

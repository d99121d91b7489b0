/**
 * The order of names and titles in every list: ICU's root collation with numbers compared as
 * numbers ("Module 2" before "Module 10", "Émile" beside "Emma", case only breaking ties). The
 * same as PostgreSQL's `natural_order` collation (migration NaturalOrder), so a list sorted here
 * after its names were joined in agrees with one sorted by the database.
 */
const collator = new Intl.Collator('und', { numeric: true });

/** Compares two names or titles in the natural order (for Array.prototype.sort). */
export function naturalOrder(a: string, b: string): number {
  return collator.compare(a, b);
}

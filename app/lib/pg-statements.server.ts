/**
 * Statement names for @prisma/adapter-pg, so that the PostgreSQL server parses and plans each of
 * the app's queries once per connection instead of on every request.
 *
 * The adapter sends every query unnamed unless it is given a `statementNameGenerator`; node-pg then
 * prepares a named statement the first time a connection sees the name and only binds and runs it
 * afterwards. Prisma's reads are long joins, and their parse and plan cost the server more than
 * running them (docs/decisions/009-prepared-statements.md, as on PGlite).
 *
 * node-pg never closes a named statement, so the names are bounded: a query text gets one only
 * once it has been seen `promoteAfter` times (one-off texts, such as a raw IN list of unusual length,
 * stay unnamed), and at most `limit` texts get one per process. Each connection then holds at most
 * `limit` statements, whatever the traffic.
 */
export type StatementNamesOptions = { limit?: number; promoteAfter?: number };

export function statementNames({ limit = 200, promoteAfter = 2 }: StatementNamesOptions = {}) {
  const names = new Map<string, string>();
  const sightings = new Map<string, number>();
  const prefix = `exchange_${Math.random().toString(36).slice(2, 8)}_`;

  return (query: { sql: string }): string | undefined => {
    const known = names.get(query.sql);
    if (known !== undefined || names.size >= limit) return known;
    const seen = (sightings.get(query.sql) ?? 0) + 1;
    if (seen < promoteAfter) {
      // The tally of texts not yet named is bounded too: forget them all when it is full.
      if (sightings.size >= limit * 10) sightings.clear();
      sightings.set(query.sql, seen);
      return undefined;
    }
    sightings.delete(query.sql);
    const name = `${prefix}${names.size + 1}`;
    names.set(query.sql, name);
    return name;
  };
}

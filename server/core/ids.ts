/** The shape of a UUID (any version, either case): what a `uuid` column accepts in its canonical form. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * True when `id` can be a UUID. Routes test path ids with it first: anything
 * else names nothing (404) and never reaches a query as a cast error.
 */
export function isUuid(id: string): boolean {
  return UUID.test(id);
}

/** The shape of a UUID (any version, either case): what a `uuid` column accepts in its canonical form. */
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * True when `id` can be a UUID. Routes test path ids with it first: anything
 * else names nothing (404) and never reaches a query as a cast error.
 */
export function isUuid(id: string): boolean {
  return UUID.test(id);
}

const SERIAL = /^[1-9]\d{0,15}$/;

/**
 * A positive integer id (a `bigserial` key) from a path segment, or null when
 * the text cannot be one. No leading zeros, signs or exponents: one id has one
 * spelling.
 */
export function serialId(raw: string | undefined): number | null {
  if (raw === undefined || !SERIAL.test(raw)) return null;
  const id = Number(raw);
  return Number.isSafeInteger(id) ? id : null;
}

import { randomBytes } from "node:crypto";

/**
 * Password hashing with argon2id (Bun's defaults: 64 MiB, t=2). Passwords are
 * NFKC-normalised first so that the same visible password always verifies.
 */
const OPTIONS = { algorithm: "argon2id" } as const;

/** Hashes a password for storage. */
export function hashPassword(password: string): Promise<string> {
  return Bun.password.hash(password.normalize("NFKC"), OPTIONS);
}

/** Checks a password against a stored hash; false for a malformed hash instead of throwing. */
export async function verifyPassword(password: string, hash: string): Promise<boolean> {
  try {
    return await Bun.password.verify(password.normalize("NFKC"), hash);
  } catch {
    return false;
  }
}

// A hash of a random secret with the same parameters as real ones: verifying
// against it for unknown emails costs the same time as a real check, so the
// response time does not reveal whether an account exists.
let dummy: Promise<string> | null = null;

/** Computes the dummy hash ahead of the first login, so that login does not pay for it. */
export function prepareDummyHash(): Promise<string> {
  dummy ??= hashPassword(randomBytes(32).toString("base64url"));
  return dummy;
}

/** Spends the time of one real verification, always failing. */
export async function verifyDummy(password: string): Promise<false> {
  await verifyPassword(password, await prepareDummyHash());
  return false;
}

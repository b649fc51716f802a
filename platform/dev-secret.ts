import { randomBytes } from "node:crypto";
import { chmodSync, linkSync, mkdirSync, readFileSync, statSync, unlinkSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";

/**
 * The signing key of a development or test run when JWT_SECRET is not set:
 * 32 random bytes made once per data folder and kept in `<DATA_DIR>/jwt-secret`
 * (mode 0600), so every process of one `bun run dev` (app instances, proxy,
 * workers) and every later run on the same data agrees on it, while no two
 * machines share it. Nothing in the source can sign a token.
 */
const FILE = "jwt-secret";
const known = new Map<string, string>();

/** Reads, or creates once, the secret of `dataDir`. */
export function dataDirSecret(dataDir: string): string {
  const path = join(resolve(dataDir), FILE);
  const cached = known.get(path);
  if (cached) return cached;
  let secret = readSecret(path);
  if (secret === null) {
    // The folder keeps its usual mode: embedded Postgres (another user, as root) must reach it;
    // the file itself is 0600.
    mkdirSync(resolve(dataDir), { recursive: true });
    // Written aside, then linked into place: link fails if another process got there
    // first, and nobody ever reads a half-written file. The loser reads the winner's.
    const temp = `${path}.${process.pid}.${randomBytes(4).toString("hex")}`;
    writeFileSync(temp, `${randomBytes(32).toString("hex")}\n`, { mode: 0o600, flag: "wx" });
    try {
      linkSync(temp, path);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
    } finally {
      unlinkSync(temp);
    }
    secret = readSecret(path);
  }
  if (secret === null || secret.length < 32)
    throw new Error(`${path} does not hold a usable secret; delete it to have a new one made`);
  known.set(path, secret);
  return secret;
}

function readSecret(path: string): string | null {
  try {
    // Keep it private even if someone loosened the mode by hand.
    if ((statSync(path).mode & 0o077) !== 0) chmodSync(path, 0o600);
    return readFileSync(path, "utf8").trim();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
    throw err;
  }
}

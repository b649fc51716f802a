import { readFileSync } from "node:fs";

/**
 * Preloaded (`bun --preload`) before every role's entry point in the image, so
 * settings can come from secret files (Docker secrets, Kubernetes Secret
 * volumes) instead of the environment or the repository:
 *
 * - `NAME_FILE=/run/secrets/x` sets `NAME` to the file's content (one trailing
 *   newline dropped), e.g. `JWT_SECRET_FILE`, `SMTP_URL_FILE`.
 * - `NAME_PASSWORD_FILE=/run/secrets/x` puts the file's content as the password
 *   into every URL of `NAME` (a URL or a comma-separated list), percent-encoded,
 *   e.g. `DATABASE_URL=postgres://app@postgres-primary:5432/commerce` plus
 *   `DATABASE_URL_PASSWORD_FILE`. Passwords with `@`, `:` or `/` stay valid.
 *
 * A variable set directly wins over its file, so nothing here can silently
 * replace an explicit value. A named file that cannot be read stops the process
 * (exit 78, configuration error) rather than starting with a missing secret.
 */
function readSecret(variable: string, path: string): string {
  try {
    return readFileSync(path, "utf8").replace(/\r?\n$/, "");
  } catch (err) {
    console.error(`${variable}: cannot read ${path}: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(78);
  }
}

/** `url` with its password replaced by `password` (percent-encoded by URL itself). */
export function withPassword(url: string, password: string): string {
  const parsed = new URL(url);
  parsed.password = encodeURIComponent(password);
  return parsed.toString();
}

const env = process.env;
for (const [key, path] of Object.entries(env)) {
  if (!path) continue;
  if (key.endsWith("_PASSWORD_FILE")) {
    const target = key.slice(0, -"_PASSWORD_FILE".length);
    const urls = env[target];
    if (!urls) continue;
    const password = readSecret(key, path);
    env[target] = urls
      .split(",")
      .map((u) => u.trim())
      .filter(Boolean)
      .map((u) => withPassword(u, password))
      .join(",");
  } else if (key.endsWith("_FILE")) {
    const target = key.slice(0, -"_FILE".length);
    if (env[target] === undefined || env[target] === "") env[target] = readSecret(key, path);
  }
}

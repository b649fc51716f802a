/**
 * The environment of a child process a test starts: only what is needed to
 * run `bun` (PATH, HOME) plus what the test sets. Never the caller's whole
 * environment, so that a variable exported in the shell (ADMIN_PASSWORD,
 * JWT_SECRET, REDIS_URL, ...) cannot change what the test sees.
 */
export function childEnv(vars: Record<string, string>): Record<string, string> {
  return { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/tmp", ...vars };
}

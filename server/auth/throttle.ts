import type { Sql } from "../../db/client.ts";
import { HttpProblem } from "../../platform/problem.ts";

/**
 * Login throttling per account and client address (on top of the proxy's
 * per-IP limits).
 *
 * Policy: at most MAX_ATTEMPTS password checks per account from one client
 * address per WINDOW_S window, counted from the first failed attempt. Keyed
 * on both, so that someone guessing from elsewhere locks out only their own
 * address: the account's owner still signs in from theirs. An attempt is counted
 * *before* the password is checked, in one atomic upsert, so that a burst of
 * concurrent guesses cannot slip past the limit; a successful login clears the
 * counter. Once over the limit the account is locked until its window ends:
 * the login route answers 429 with Retry-After and does not check the
 * password at all. The counter is keyed by the normalised email (and the
 * address), so unknown emails lock exactly like real ones and a 429 reveals
 * nothing. Checks without a client address of their own use the key ''.
 */
export const MAX_ATTEMPTS = 5;
const WINDOW_S = 15 * 60;

/** The outcome of claiming an attempt. */
export type AttemptResult = { allowed: true } | { allowed: false; retryAfterS: number };

/** Counts one login attempt for `email` from `clientIp`; refuses it while that pair is locked. */
export async function claimAttempt(sql: Sql, email: string, clientIp = ""): Promise<AttemptResult> {
  const [row] = await sql<{ attempts: number; retry_after: number }[]>`
    insert into login_throttle as t (email, client_ip, attempts, window_started_at)
    values (${email}, ${clientIp}, 1, now())
    on conflict (email, client_ip) do update set
      attempts = case when t.window_started_at <= now() - make_interval(secs => ${WINDOW_S})
                      then 1 else t.attempts + 1 end,
      window_started_at = case when t.window_started_at <= now() - make_interval(secs => ${WINDOW_S})
                               then now() else t.window_started_at end
    returning attempts,
      ceil(extract(epoch from window_started_at + make_interval(secs => ${WINDOW_S}) - now()))::int
        as retry_after`;
  // Counters of abandoned (often unknown) emails are swept now and then, without waiting for it.
  if (Math.random() < 0.01) void sweepExpired(sql).catch(() => {});
  if (!row || row.attempts <= MAX_ATTEMPTS) return { allowed: true };
  return { allowed: false, retryAfterS: Math.max(1, row.retry_after) };
}

/** Forgets the attempts of `email` from `clientIp` after a successful login from there. */
export async function clearAttempts(sql: Sql, email: string, clientIp = ""): Promise<void> {
  await sql`delete from login_throttle where email = ${email} and client_ip = ${clientIp}`;
}

/** Deletes counters whose window has ended. */
export async function sweepExpired(sql: Sql): Promise<void> {
  await sql`delete from login_throttle where window_started_at <= now() - make_interval(secs => ${WINDOW_S})`;
}

/** The 429 answered while an account's password checks are locked. */
export function lockedOut(retryAfterS: number, detail: string): HttpProblem {
  return new HttpProblem(
    429,
    "login-locked",
    detail,
    undefined,
    { retry_after: retryAfterS },
    { "Retry-After": String(retryAfterS) },
  );
}

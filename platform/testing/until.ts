/**
 * Test synchronisation without sleeps as barriers: polls `cond` every 25 ms
 * until it holds, and throws naming `what` once `ms` have passed.
 */
export async function until(
  cond: () => boolean | Promise<boolean>,
  what: string,
  ms = 30_000,
): Promise<void> {
  const deadline = Date.now() + ms;
  while (!(await cond())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await Bun.sleep(25);
  }
}

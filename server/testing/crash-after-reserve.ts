import { runInstance } from "../instance.ts";

/**
 * Test-only entry point (server/checkout/crash.test.ts): an app instance whose
 * checkout kills its own process right after the reservation commits, before
 * any payment — a crash at the worst moment, on purpose.
 */
await runInstance({
  checkoutFaults: {
    afterReserve() {
      process.kill(process.pid, "SIGKILL");
    },
  },
});

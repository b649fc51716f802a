import { expect, test } from "bun:test";
import { hasEstablishedPeer } from "./healthcheck.ts";

async function until(cond: () => boolean, ms = 5000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (cond()) return true;
    await Bun.sleep(20);
  }
  return cond();
}

test.skipIf(process.platform !== "linux")(
  "sees an established connection to a peer port, and its end",
  async () => {
    const server = Bun.listen({ hostname: "127.0.0.1", port: 0, socket: { data() {} } });
    const port = server.port;
    expect(hasEstablishedPeer(port)).toBe(false);
    const client = await Bun.connect({ hostname: "127.0.0.1", port, socket: { data() {} } });
    expect(await until(() => hasEstablishedPeer(port))).toBe(true);
    client.end();
    server.stop(true);
    expect(await until(() => !hasEstablishedPeer(port))).toBe(true);
  },
);

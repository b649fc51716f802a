import { expect, test } from "bun:test";
import postgres from "postgres";
import { testServerUrl } from "./testing.ts";

/**
 * Our patch of postgres.js (patches/postgres@3.4.9.patch, porsager/postgres#1192):
 * a connection that ends while the driver fetches array types (its first,
 * internal query) must fail the caller's query only, not also raise an
 * unhandled rejection (which fails a test run and can end an app process).
 */
test("a connection ended during the driver's array-type query raises no unhandled rejection", async () => {
  const target = new URL(await testServerUrl());
  const unhandled: unknown[] = [];
  const onUnhandled = (err: unknown) => unhandled.push(err);
  process.on("unhandledRejection", onUnhandled);
  // A relay that ends the first connection as the server does when its backend is terminated
  // (57P01, then close) as soon as the client sends the type query;
  // the driver then reconnects (the caller's query is still waiting) through a relay that passes all.
  let cuts = 0;
  const relay = Bun.listen<{ upstream: Promise<import("bun").Socket<undefined>> | null }>({
    hostname: "127.0.0.1",
    port: 0,
    socket: {
      open(client) {
        client.data = {
          upstream: Bun.connect({
            hostname: target.hostname,
            port: Number(target.port || 5432),
            socket: {
              data: (_s, chunk) => void client.write(chunk),
              close: () => void client.end(),
              error: () => void client.end(),
            },
          }),
        };
      },
      async data(client, chunk) {
        const upstream = await client.data.upstream!;
        if (cuts === 0 && Buffer.from(chunk).includes("typarray")) {
          cuts++;
          // What a backend terminated by an administrator sends before closing.
          client.write(terminatedBackend());
          upstream.end();
          client.end();
          return;
        }
        upstream.write(chunk);
      },
      async close(client) {
        (await client.data.upstream)?.end();
      },
    },
  });
  const url = new URL(target);
  url.hostname = "127.0.0.1";
  url.port = String(relay.port);
  const sql = postgres(url.toString(), { max: 1, connect_timeout: 2, onnotice: () => {} });
  try {
    // The caller's query may succeed on the new connection or fail with the cut one's error.
    await sql`select 1`.catch(() => {});
    expect(cuts).toBe(1);
    // Unhandled rejections are reported once the microtask queue has drained: one macrotask later.
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setTimeout(r, 0));
    expect(unhandled).toEqual([]);
  } finally {
    process.off("unhandledRejection", onUnhandled);
    await sql.end({ timeout: 0 }).catch(() => {});
    relay.stop(true);
  }
});

/** A FATAL ErrorResponse 57P01 in the Postgres wire format. */
function terminatedBackend(): Buffer {
  const fields = Buffer.concat(
    [
      ["S", "FATAL"],
      ["V", "FATAL"],
      ["C", "57P01"],
      ["M", "terminating connection due to administrator command"],
    ]
      .map(([k, v]) => Buffer.from(`${k}${v}\0`))
      .concat(Buffer.from("\0")),
  );
  const head = Buffer.alloc(5);
  head.write("E", 0);
  head.writeInt32BE(fields.length + 4, 1);
  return Buffer.concat([head, fields]);
}

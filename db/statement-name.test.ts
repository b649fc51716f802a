import { expect, test } from "bun:test";
import { callerName, statementName } from "./statement-name.ts";

const stack = (...frames: string[]) => ["Error", ...frames.map((f) => `    at ${f}`)].join("\n");

test("the function that wrote the statement and its folder, past the naming and timing wrappers", () => {
  expect(
    callerName(
      stack(
        "statementName (/srv/db/statement-name.ts:50:16)",
        "timed (/srv/db/instrument.ts:90:5)",
        "apply (/srv/db/instrument.ts:120:9)",
        "unknown",
        "async listProductPage (/srv/server/catalog/queries.ts:80:10)",
      ),
    ),
  ).toBe("catalog.listProductPage");
});

test("methods lose their class; anonymous callers are named by file and line", () => {
  expect(callerName(stack("CacheAside.load (/srv/server/cache/aside.ts:12:3)"))).toBe("cache.load");
  expect(callerName(stack("<anonymous> (/srv/server/checkout/place.ts:88:14)"))).toBe("checkout.place:88");
  expect(callerName(stack("/srv/workers/relay.ts:40:7"))).toBe("workers.relay:40");
});

test("db/client.ts wrappers are skipped; its own statements keep their names", () => {
  expect(
    callerName(
      stack(
        "track (/srv/db/client.ts:130:20)",
        "read (/srv/db/client.ts:150:12)",
        "getCart (/srv/server/cart/store.ts:9:1)",
      ),
    ),
  ).toBe("cart.getCart");
  expect(callerName(stack("currentLsn (/srv/db/client.ts:140:30)"))).toBe("db.currentLsn");
  expect(callerName(stack("unknown"))).toBe("sql");
});

// Async like the query helpers: JSC has proper tail calls in plain functions, and a
// tail call (`return sql`…``) leaves no frame to name (its caller's caller names it then).
async function tag(strings: TemplateStringsArray, ..._values: unknown[]): Promise<string> {
  return statementName(strings);
}
async function findProduct(slug: string): Promise<string> {
  return tag`select id from products where slug = ${slug}`;
}

test("one name per call site, read from the real stack", async () => {
  // `tag` stands in for the postgres.js tag here, so it is the first frame past the plumbing.
  expect(await findProduct("a")).toBe("db.tag");
  expect(await findProduct("b")).toBe("db.tag");
  const unsafeName = statementName(["select 1"]);
  expect(unsafeName).toMatch(/^db\.statement-name\.test:\d+$/);
  expect(statementName(["select 1"])).toBe(unsafeName);
});

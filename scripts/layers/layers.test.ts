import { afterAll, describe, expect, test } from "bun:test";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { checkLayers } from "./rules.ts";

const repo = join(import.meta.dir, "..", "..");

test("the repository keeps the layer rules of docs/architecture.md", () => {
  expect(checkLayers(repo).map((v) => v.rule)).toEqual([]);
});

describe("the checker refuses", () => {
  const dirs: string[] = [];
  afterAll(() => {
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });
  /** A throw-away tree of files (path → source). */
  const tree = (files: Record<string, string>): string => {
    const root = mkdtempSync(join(tmpdir(), "layers-"));
    dirs.push(root);
    for (const [path, text] of Object.entries(files)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), text);
    }
    return root;
  };

  test("an upward import, type-only ones included", () => {
    const root = tree({
      "platform/config.ts": 'import type { Database } from "../db/client.ts";\n',
      "db/client.ts": "export type Database = 1;\n",
    });
    expect(checkLayers(root).map((v) => v.rule)).toEqual([
      "platform/ may not import db/ (platform/config.ts → db/client.ts)",
    ]);
  });

  test("the proxy importing the app", () => {
    const root = tree({ "proxy/engine.ts": 'import { x } from "../server/catalog/queries.ts";\n' });
    expect(checkLayers(root)).toHaveLength(1);
  });

  test("a domain importing the assembly, and core importing a domain", () => {
    const root = tree({
      "server/cart/routes.ts": 'import { createApp } from "../app.ts";\n',
      "server/core/auth.ts": 'import { findUser } from "../users/queries.ts";\n',
      "server/app.ts": "",
      "server/users/queries.ts": "",
    });
    expect(
      checkLayers(root)
        .map((v) => v.rule)
        .sort(),
    ).toEqual([
      "a domain never imports the assembly (server/cart/routes.ts → server/app.ts)",
      "server/core/ may not import a domain (server/core/auth.ts → server/users/queries.ts)",
    ]);
  });

  test("a loop between domain folders, through a dynamic import too", () => {
    const root = tree({
      "server/cart/a.ts": 'export { b } from "../checkout/b.ts";\n',
      "server/checkout/b.ts": 'const m = await import("../cart/a.ts");\n',
    });
    expect(checkLayers(root).map((v) => v.rule)).toEqual([
      "import loop between server/cart, server/checkout",
    ]);
  });
});

import { describe, expect, test } from "bun:test";
import { nameOf, statementName } from "./statement-name.ts";

describe("statement names", () => {
  test("verb and table, never values", () => {
    expect(nameOf("select id, title from products p where slug = $1")).toBe("select products");
    expect(nameOf("insert into outbox (type, data) values ($1, $2)")).toBe("insert outbox");
    expect(nameOf("update inventory set quantity = quantity - $1 where sku = $2")).toBe("update inventory");
    expect(nameOf("delete from login_throttle where email = $1")).toBe("delete login_throttle");
    expect(nameOf("select pg_advisory_xact_lock($1)")).toBe("select pg_advisory_xact_lock");
    expect(nameOf("begin")).toBe("begin");
  });
  test("a leading comment names the statement", () => {
    expect(nameOf("/* reserve stock */ update inventory set quantity = 0")).toBe("reserve stock");
    expect(nameOf("-- checkout.hold\nselect 1")).toBe("checkout.hold");
  });
  test("the main statement of a CTE and a template that starts with a fragment", () => {
    expect(nameOf("with x as (select 1 from a) update orders set s = 1")).toBe("update orders");
    expect(nameOf("$\n  select p.id from products p")).toBe("select products");
  });
});

test("one name per call site: a template's strings array is named once", () => {
  const site = (slug: string) => tag`select id from products where slug = ${slug}`;
  function tag(strings: TemplateStringsArray, ..._values: unknown[]) {
    return strings;
  }
  const first = site("a");
  expect(site("b")).toBe(first);
  expect(statementName(first)).toBe("select products");
});

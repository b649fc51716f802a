import { Hono } from "hono";
import { conflict, notFound, unauthorized } from "../../platform/problem.ts";
import { jsonBody, queryParams } from "../../platform/validate.ts";
import { type AuthEnv, authenticate, currentUser, requireAuth } from "../core/auth.ts";
import type { RouteModule } from "../core/deps.ts";
import { serialId } from "../core/ids.ts";
import { pageOf, pageQuery } from "../core/paging.ts";
import { deleteAddress, getAddress, insertAddress, listAddresses, MAX_ADDRESSES } from "./addresses.ts";
import { getUserById } from "./queries.ts";
import { addressInput } from "./schemas.ts";

/** A path id: a positive integer, else the resource cannot exist (404). */
function pathId(raw: string): number {
  const id = serialId(raw);
  if (id === null) throw notFound("No such address.");
  return id;
}

/**
 * `GET /api/users/me` and the addresses (`PATCH /api/users/me` changes
 * credentials, so the auth module serves it). The caller reads their own data from
 * the primary: they may have written it a moment ago, through any instance.
 */
export const usersModule: RouteModule = (app, deps) => {
  const r = new Hono<AuthEnv>();
  r.use(authenticate(deps), requireAuth(), async (c, next) => {
    await next();
    // Personal data: shared caches must not keep it.
    c.header("Cache-Control", "private, no-store");
  });

  r.get("/me", async (c) => {
    const user = await deps.db.read((sql) => getUserById(sql, currentUser(c).id), { primary: true });
    if (!user) throw unauthorized("The account no longer exists.");
    return c.json(user);
  });

  r.get("/me/addresses", async (c) => {
    const q = queryParams(c, pageQuery);
    const { items, total } = await deps.db.read(
      (sql) => listAddresses(sql, currentUser(c).id, q.page, q.page_size),
      { primary: true },
    );
    return c.json(pageOf(items, q, total));
  });

  r.post("/me/addresses", async (c) => {
    const input = await jsonBody(c, addressInput);
    const address = await deps.db.tx((tx) => insertAddress(tx, currentUser(c).id, input));
    if (address === "limit")
      throw conflict(`An account can keep at most ${MAX_ADDRESSES} addresses.`, "too-many-addresses");
    return c.json(address, 201);
  });

  r.get("/me/addresses/:id", async (c) => {
    const id = pathId(c.req.param("id"));
    const address = await deps.db.read((sql) => getAddress(sql, currentUser(c).id, id), { primary: true });
    if (!address) throw notFound("No such address.");
    return c.json(address);
  });

  r.delete("/me/addresses/:id", async (c) => {
    const id = pathId(c.req.param("id"));
    const deleted = await deps.db.tx((tx) => deleteAddress(tx, currentUser(c).id, id));
    if (!deleted) throw notFound("No such address.");
    return c.body(null, 204);
  });

  app.route("/api/users", r);
};

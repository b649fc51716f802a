import type { Context, Next } from "hono";
import type { AppDeps, RouteModule } from "../core/deps.ts";
import { mergeAnonymousCart } from "./merge.ts";
import type { CartSettings } from "./settings.ts";

/** The user id of a successful register/login answer, if the body has one. */
async function userIdOf(res: Response): Promise<number | null> {
  try {
    const body = (await res.clone().json()) as { user?: { id?: unknown } };
    const id = body.user?.id;
    return typeof id === "number" && Number.isSafeInteger(id) ? id : null;
  } catch {
    return null;
  }
}

/**
 * Merges the anonymous cart named by `X-Cart-Token` into the user's cart when
 * a register or login request succeeds. It wraps the auth routes from outside
 * (so the accounts module needs no change) and therefore has to be mounted
 * before them. A merge failure is logged, never turned into a failed sign-in.
 */
function cartMergeOnLogin(deps: AppDeps, secret: string): (c: Context, next: Next) => Promise<void> {
  return async (c, next) => {
    await next();
    const token = c.req.header("x-cart-token");
    if (!token || (c.res.status !== 200 && c.res.status !== 201)) return;
    const userId = await userIdOf(c.res);
    if (userId === null) return;
    try {
      await deps.db.tx((tx) => mergeAnonymousCart(tx, token, userId, secret));
    } catch (err) {
      deps.logger.warn("cart merge at sign-in failed", { user_id: userId, err });
    }
  };
}

/** Route module for the hook; list it before the auth module in server/modules.ts. */
export function cartLoginHook(settings: CartSettings): RouteModule {
  return (app, deps) => {
    const hook = cartMergeOnLogin(deps, settings.cartTokenSecret);
    app.use("/api/auth/login", hook);
    app.use("/api/auth/register", hook);
  };
}

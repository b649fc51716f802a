import { adminCatalogModule } from "./admin/catalog-module.ts";
import { authModule } from "./auth/routes.ts";
import { cartLoginHook } from "./cart/login-hook.ts";
import { cartModule } from "./cart/routes.ts";
import { catalogRoutes } from "./catalog/routes.ts";
import { checkoutModule } from "./checkout/routes.ts";
import type { RouteModule } from "./core/deps.ts";
import { adminEventsModule } from "./events/admin-routes.ts";
import { adminOrdersModule } from "./orders/admin-routes.ts";
import { ordersModule } from "./orders/routes.ts";
import { reviewsModule } from "./reviews/routes.ts";
import { searchModule } from "./search/routes.ts";
import { usersModule } from "./users/routes.ts";

/** Every domain module's routes, in mount order. Each domain adds itself here. */
export const modules: RouteModule[] = [
  cartLoginHook, // wraps the auth routes (merges X-Cart-Token carts at sign-in), so it goes first
  authModule,
  usersModule,
  catalogRoutes,
  searchModule(),
  reviewsModule,
  cartModule(),
  checkoutModule(),
  ordersModule(),
  adminOrdersModule(),
  adminCatalogModule,
  adminEventsModule,
];

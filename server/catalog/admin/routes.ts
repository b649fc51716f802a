import { mountStaffRoutes } from "../../core/auth.ts";
import type { RouteModule } from "../../core/deps.ts";
import { adminCategoryRoutes } from "./categories.ts";
import { adminInventoryRoutes } from "./inventory.ts";
import { adminProductRoutes } from "./products.ts";

/**
 * The catalog half of `/api/admin`: products, inventory and categories, for
 * staff and admins (401 without a token, 403 for customers).
 */
export const adminCatalogModule: RouteModule = (app, deps) =>
  mountStaffRoutes(app, deps, [
    ["/api/admin/products", adminProductRoutes(deps)],
    ["/api/admin/inventory", adminInventoryRoutes(deps)],
    ["/api/admin/categories", adminCategoryRoutes(deps)],
  ]);

import type { RouteModule } from "./app.ts";

/** Every domain module's routes, in mount order. Each domain adds itself here. */
export const modules: RouteModule[] = [];

import type { Hono } from "hono";
import type { Database } from "../../db/client.ts";
import type { Config } from "../../platform/config.ts";
import type { Logger } from "../../platform/logger.ts";
import type { Registry } from "../../platform/metrics.ts";
import type { Redis } from "../../platform/redis.ts";

/** The result of probing one dependency for `/health`. */
export interface DependencyStatus {
  status: "up" | "down" | "disabled" | "lagging";
  latency_ms?: number;
  [detail: string]: unknown;
}

/** A dependency probe; `core` ones make `/health` answer 503 when they are down. */
export interface HealthProbe {
  name: string;
  core: boolean;
  check(): Promise<DependencyStatus>;
}

/** What every route module receives: the platform pieces, chosen once at start-up. */
export interface AppDeps {
  config: Config;
  db: Database;
  logger: Logger;
  metrics: Registry;
  redis: Redis | null;
  probes: HealthProbe[];
}

/** Hono environment shared by every route module. */
export interface AppEnv {
  Variables: { requestId: string };
}

/** A route module: mounts its routes on the app given the shared deps. */
export type RouteModule = (app: Hono<AppEnv>, deps: AppDeps) => void;

import postgres from "postgres";
import type { Config } from "../platform/config.ts";
import type { Logger } from "../platform/logger.ts";
import { startEmbeddedPostgres } from "./embedded.ts";
import { migrate } from "./migrate.ts";

export interface ResolvedDatabase {
  primaryUrl: string;
  replicaUrls: string[];
  /** Environment to hand to child processes so they use the same databases. */
  env: Record<string, string>;
  embedded: boolean;
  stop(): Promise<void>;
}

/**
 * The configured databases, or an embedded primary + replica when
 * DATABASE_URL is unset; applies pending migrations either way.
 */
export async function resolveDatabase(
  config: Config,
  logger: Logger,
  opts: { migrate?: boolean } = {},
): Promise<ResolvedDatabase> {
  let primaryUrl = config.DATABASE_URL;
  let replicaUrls = config.DATABASE_REPLICA_URLS;
  let stop = async () => {};
  const embedded = !primaryUrl;
  if (!primaryUrl) {
    const started = performance.now();
    const cluster = await startEmbeddedPostgres({
      dataDir: config.DATA_DIR,
      port: config.EMBEDDED_PG_PORT,
      replica: config.EMBEDDED_REPLICA,
      logger,
    });
    primaryUrl = cluster.primaryUrl;
    replicaUrls = cluster.replicaUrls;
    stop = () => cluster.stop();
    logger.info("embedded postgres running", {
      primary: primaryUrl,
      replicas: replicaUrls,
      ms: Math.round(performance.now() - started),
    });
  }
  if (opts.migrate !== false) {
    const sql = postgres(primaryUrl, { max: 1, onnotice: () => {} });
    try {
      const applied = await migrate(sql);
      if (applied.length) logger.info("migrations applied", { applied });
    } finally {
      await sql.end();
    }
  }
  return {
    primaryUrl,
    replicaUrls,
    embedded,
    env: { DATABASE_URL: primaryUrl, DATABASE_REPLICA_URLS: replicaUrls.join(",") },
    stop,
  };
}

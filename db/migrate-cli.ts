import postgres from "postgres";
import { loadConfigOrExit } from "../platform/config.ts";
import { startEmbeddedPostgres } from "./embedded.ts";
import { migrate } from "./migrate.ts";

/** `bun run migrate`: applies pending migrations to DATABASE_URL (or the embedded database). */
const config = loadConfigOrExit("development"); // a tool: serves nothing, signs nothing
const embedded = config.DATABASE_URL
  ? null
  : await startEmbeddedPostgres({ dataDir: config.DATA_DIR, port: config.EMBEDDED_PG_PORT, replica: false });
const url = config.DATABASE_URL ?? embedded!.primaryUrl;
const sql = postgres(url, { max: 1, onnotice: () => {} });
try {
  const applied = await migrate(sql);
  console.log(applied.length ? `applied: ${applied.join(", ")}` : "schema is up to date");
} finally {
  await sql.end();
  await embedded?.stop();
}

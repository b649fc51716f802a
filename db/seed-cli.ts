import { parseArgs } from "node:util";
import postgres from "postgres";
import { loadConfigOrExit } from "../platform/config.ts";
import { createLogger } from "../platform/logger.ts";
import { resolveDatabase } from "./resolve.ts";
import { catalogIsEmpty, seedCatalog } from "./seed.ts";

/** `bun run seed [--products N] [--if-empty]`: adds a demo catalog to DATABASE_URL (or the embedded database). */
const { values } = parseArgs({
  options: { products: { type: "string" }, "if-empty": { type: "boolean", default: false } },
  strict: true,
});
const config = loadConfigOrExit("development"); // a tool: serves nothing, signs nothing
const products = values.products === undefined ? config.SEED_PRODUCTS : Number(values.products);
if (!Number.isInteger(products) || products < 0) {
  console.error(`--products must be a non-negative integer (got ${values.products})`);
  process.exit(2);
}
const logger = createLogger(config.LOG_LEVEL, { service: "seed" });
const database = await resolveDatabase(config, logger);
const sql = postgres(database.primaryUrl, { max: 2, onnotice: () => {} });
try {
  if (values["if-empty"] && !(await catalogIsEmpty(sql))) {
    console.log("catalog already has products; nothing seeded");
  } else {
    const r = await seedCatalog(sql, { products });
    console.log(`seeded ${r.products} products, ${r.variants} variants, ${r.reviews} reviews in ${r.ms} ms`);
  }
} finally {
  await sql.end();
  await database.stop();
}

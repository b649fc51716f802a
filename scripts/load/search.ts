/** `bun run load search`: see scripts/load/search-bench.ts. */
import { benchmark } from "./search-bench.ts";

await benchmark("search");

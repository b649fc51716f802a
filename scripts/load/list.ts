/** `bun run load list`: see scripts/load/search-bench.ts. */
import { benchmark } from "./search-bench.ts";

await benchmark("list");

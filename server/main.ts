import { runInstance } from "./instance.ts";

/** One app instance. The cluster shim starts N of these with PORT set. */
await runInstance();

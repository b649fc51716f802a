import { compose, removeLeftovers, stackSettings } from "./stack.ts";

/**
 * `bun run deploy:down [--keep-volumes]`: stops and removes the local compose
 * stack, its networks and (unless --keep-volumes) its volumes.
 */
const s = stackSettings();
const args = ["down", "--remove-orphans", "--timeout", "40"];
if (!process.argv.includes("--keep-volumes")) args.push("--volumes");
compose(s, args, { allowFail: true });
removeLeftovers(s, !process.argv.includes("--keep-volumes"));

import { parseArgs } from "node:util";
import { ZodError } from "zod";
import { createDatabase } from "../db/client.ts";
import { resolveDatabase } from "../db/resolve.ts";
import { loadConfigOrExit } from "../platform/config.ts";
import { createLogger } from "../platform/logger.ts";
import { ExistingAccountError, ensureAdmin, PasswordRequiredError } from "../server/auth/bootstrap-admin.ts";

/**
 * `bun run create-admin --email a@b.c --password ... [--name ...] [--promote]`
 *
 * Creates an admin account; with `--promote`, makes an existing account admin
 * (and with a password, replaces its password and ends its sessions). Uses DATABASE_URL;
 * when it is unset, the embedded Postgres of `bun run dev` (reused if it is
 * already running, started and stopped again otherwise).
 * Exit codes: 0 done, 64 bad usage or input (including an existing account
 * without --promote), 1 anything else.
 */
const USAGE =
  "usage: bun run create-admin --email <email> [--password <password>] [--name <name>] [--promote]\n" +
  "  --password is required to create a new account. An existing account is refused unless\n" +
  "  --promote is given; then it becomes admin, and with --password its password is replaced\n" +
  "  and all its sessions end. The password can also be passed in ADMIN_PASSWORD.";

function usage(message?: string): never {
  if (message) console.error(message);
  console.error(USAGE);
  process.exit(64);
}

let args: { email?: string; password?: string; name?: string; promote?: boolean; help?: boolean };
try {
  args = parseArgs({
    options: {
      email: { type: "string" },
      password: { type: "string" },
      name: { type: "string" },
      promote: { type: "boolean" },
      help: { type: "boolean", short: "h" },
    },
    strict: true,
  }).values;
} catch (err) {
  usage(err instanceof Error ? err.message : String(err));
}
if (args.help) usage();
if (!args.email) usage("--email is required");

const config = loadConfigOrExit("development"); // a tool: serves nothing, signs nothing
const logger = createLogger(config.LOG_LEVEL === "info" ? "warn" : config.LOG_LEVEL, {
  service: "create-admin",
});

// With `bun run dev` running, resolveDatabase uses its embedded servers as they are.
const resolved = await resolveDatabase(config, logger);
const db = createDatabase({
  primaryUrl: resolved.primaryUrl,
  poolMax: 2,
  logger,
  applicationName: "create-admin",
});

let code = 0;
try {
  const result = await ensureAdmin(db, {
    email: args.email,
    password: args.password ?? process.env.ADMIN_PASSWORD,
    name: args.name,
    promote: args.promote ?? false,
  });
  const what = result.created ? "created" : "promoted";
  const pw = !result.created && result.passwordChanged ? " (password replaced, sessions ended)" : "";
  console.log(`admin ${what}${pw}: #${result.user.id} ${result.user.email}`);
} catch (err) {
  if (err instanceof ZodError) {
    for (const i of err.issues) console.error(`${i.path.join(".") || "input"}: ${i.message}`);
    code = 64;
  } else if (err instanceof PasswordRequiredError || err instanceof ExistingAccountError) {
    console.error(err.message);
    code = 64;
  } else {
    console.error(err instanceof Error ? err.message : String(err));
    code = 1;
  }
} finally {
  await db.close();
  await resolved.stop();
}
process.exit(code);

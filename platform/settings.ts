import { z } from "zod";
import { redactText } from "./logger.ts";

/**
 * The one configuration mechanism of every process: a group of documented
 * knobs, each a zod schema over the environment string, a default and a line
 * of documentation. The README's table is generated from the same entries
 * (`bun scripts/config-table.ts`), so what a process reads and what is
 * documented cannot drift apart.
 */

/** An integer variable within [min, max]. */
export const int = (min: number, max: number) =>
  z
    .string()
    .trim()
    .regex(/^-?\d+$/, "must be an integer")
    .transform(Number)
    .pipe(z.number().int().min(min).max(max));

/** A TCP port. */
export const port = int(1, 65535);

/** A boolean written as 1/0, true/false, yes/no or on/off. */
export const bool = z
  .enum(["1", "0", "true", "false", "yes", "no", "on", "off"])
  .transform((v) => ["1", "true", "yes", "on"].includes(v));

/** A URL with one of the given schemes (without the colon). */
export const url = (protocols: string[]) =>
  z
    .string()
    .trim()
    .refine(
      (v) => {
        try {
          return protocols.includes(new URL(v).protocol.replace(":", ""));
        } catch {
          return false;
        }
      },
      `must be a URL (${protocols.join(", ")})`,
    );

/** A comma-separated list of URLs. */
export const urlList = (protocols: string[]) =>
  z
    .string()
    .trim()
    .transform((v) =>
      v
        .split(",")
        .map((s) => s.trim())
        .filter(Boolean),
    )
    .pipe(z.array(url(protocols)));

/** One documented environment variable. */
export interface Knob<T extends z.ZodType> {
  schema: T;
  default: string | undefined;
  doc: string;
  /** Secret values (keys, URLs that may carry a password) are never echoed in errors. */
  secret: boolean;
  /** What the README shows as the default, when it is computed (e.g. "CPU cores"). */
  shownDefault?: string;
}

/** Declares a knob; `opts.secret` keeps its value out of error messages. */
export function knob<T extends z.ZodType>(
  schema: T,
  def: string | undefined,
  doc: string,
  opts: { secret?: boolean; shownDefault?: string } = {},
): Knob<T> {
  return { schema, default: def, doc, secret: opts.secret ?? false, shownDefault: opts.shownDefault };
}

/** The parsed, frozen values of a knob table. */
// biome-ignore lint/suspicious/noExplicitAny: the constraint of a generic knob table
export type Settings<K extends Record<string, Knob<any>>> = {
  readonly [N in keyof K]: z.output<K[N]["schema"]>;
};

/** One rejected variable. */
export interface SettingProblem {
  variable: string;
  message: string;
}

/** A start-up configuration error naming the variables that were wrong. */
export class ConfigError extends Error {
  constructor(readonly problems: SettingProblem[]) {
    super(`Invalid configuration:\n${problems.map((p) => `  ${p.variable}: ${p.message}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

/** A row of the generated configuration table. */
export interface SettingDoc {
  group: string;
  variable: string;
  default: string;
  doc: string;
}

/** A named table of knobs with its parser and its documentation rows. */
// biome-ignore lint/suspicious/noExplicitAny: the constraint of a generic knob table
export interface SettingsGroup<K extends Record<string, Knob<any>>> {
  readonly name: string;
  readonly knobs: K;
  /** Parses the environment (or the given record); throws ConfigError naming every bad variable. */
  load(env?: Record<string, string | undefined>): Settings<K>;
  docs(): SettingDoc[];
}

/**
 * Declares a group of settings. `check` may add problems that involve
 * several variables (e.g. "required in production").
 */
// biome-ignore lint/suspicious/noExplicitAny: the constraint of a generic knob table
export function defineSettings<K extends Record<string, Knob<any>>>(
  name: string,
  knobs: K,
  check?: (values: Settings<K>, problems: SettingProblem[]) => void,
): SettingsGroup<K> {
  return {
    name,
    knobs,
    load(env = process.env) {
      const out: Record<string, unknown> = {};
      const problems: SettingProblem[] = [];
      for (const [variable, k] of Object.entries(knobs) as [string, Knob<z.ZodType>][]) {
        const given = env[variable];
        const raw = given === undefined || given === "" ? k.default : given;
        if (raw === undefined) {
          out[variable] = undefined;
          continue;
        }
        const parsed = k.schema.safeParse(raw);
        if (parsed.success) out[variable] = parsed.data;
        else {
          const why = parsed.error.issues[0]?.message ?? "invalid";
          // Secret knobs never echo their value; others echo it with any URL password removed.
          problems.push({
            variable,
            message: k.secret ? why : `${why} (got ${JSON.stringify(redactText(raw))})`,
          });
        }
      }
      check?.(out as Settings<K>, problems);
      if (problems.length) throw new ConfigError(problems);
      return Object.freeze(out) as Settings<K>;
    },
    docs() {
      return Object.entries(knobs).map(([variable, k]) => ({
        group: name,
        variable,
        default: k.shownDefault ?? k.default ?? "(unset)",
        doc: k.doc,
      }));
    },
  };
}

/** Runs a group's load for a process entry point: prints the problem and exits 78 (EX_CONFIG). */
export function loadOrExit<T>(load: () => T): T {
  try {
    return load();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(78);
    }
    throw err;
  }
}

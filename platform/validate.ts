import type { Context } from "hono";
import { z } from "zod";
import { badRequest, type FieldError, HttpProblem, unprocessable } from "./problem.ts";

function toFieldErrors(error: z.ZodError): FieldError[] {
  return error.issues.map((i) => ({ path: i.path.map(String).join(".") || "(root)", message: i.message }));
}

/** Validates a value against a schema or throws a 422 problem listing every field error. */
export function validate<S extends z.ZodType>(schema: S, value: unknown, what = "request body"): z.output<S> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) throw unprocessable(`The ${what} is invalid.`, toFieldErrors(parsed.error));
  return parsed.data;
}

/**
 * Reads and validates a JSON body: 415 when it is not JSON, 400 when it does
 * not parse, 422 when it does not match the schema.
 */
export async function jsonBody<S extends z.ZodType>(c: Context, schema: S): Promise<z.output<S>> {
  const type = c.req.header("content-type") ?? "";
  if (!/^application\/([\w.+-]+\+)?json\b/i.test(type)) {
    throw new HttpProblem(415, "unsupported-media-type", "Send the body as application/json.");
  }
  let value: unknown;
  try {
    value = await c.req.json();
  } catch {
    throw badRequest("The request body is not valid JSON.", "malformed-json");
  }
  return validate(schema, value);
}

/** Validates the query string (single values; repeated keys keep the last). */
export function queryParams<S extends z.ZodType>(c: Context, schema: S): z.output<S> {
  return validate(schema, c.req.query(), "query string");
}

/** Control characters (C0, DEL, C1); `(?![\n\r\t])` lets multi-line text keep its line breaks and tabs. */
const CONTROL = /\p{Cc}/u;
const CONTROL_BUT_LINES = /(?![\n\r\t])\p{Cc}/u;

/**
 * True for text that can be stored and shown as it is: no unpaired UTF-16
 * surrogates (no UTF-8 form; JSON payloads in Postgres refuse them) and no
 * control characters (NUL cannot be stored at all; the others corrupt what
 * shows the text). `multiline` text may keep \n, \r and \t.
 */
export function isSafeText(s: string, multiline = false): boolean {
  return s.isWellFormed() && !(multiline ? CONTROL_BUT_LINES : CONTROL).test(s);
}

const UNSAFE_TEXT = "must not contain control characters or invalid Unicode";

/**
 * The one text-safety rule for free text a client sends: trimmed,
 * NFC-normalised (the same visible text is stored one way), refused with a 422
 * when it holds what `isSafeText` refuses, and `min` (default 1) to `max`
 * characters long.
 */
export function safeText(max: number, opts: { min?: number; multiline?: boolean } = {}) {
  const min = opts.min ?? 1;
  return z
    .string()
    .transform((s) => s.trim().normalize("NFC"))
    .pipe(
      z
        .string()
        .refine((s) => isSafeText(s, opts.multiline), UNSAFE_TEXT)
        .min(min, min === 1 ? "must not be empty" : `must be at least ${min} characters`)
        .max(max, `must be at most ${max} characters`),
    );
}

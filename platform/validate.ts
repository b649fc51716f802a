import type { Context } from "hono";
import type { z } from "zod";
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

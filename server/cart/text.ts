import { z } from "zod";

/**
 * Characters a stored text field must not hold: C0/C1 control characters (\p{Cc})
 * (NUL cannot be stored by Postgres at all, in `text` or `jsonb`) and UTF-16
 * surrogates that are not part of a pair (they have no UTF-8 encoding). With
 * the `u` flag a well-formed pair is one code point and does not match \p{Cs}.
 */
const UNSTORABLE = /[\p{Cc}\p{Cs}]/u;

/** True when `s` can be stored and shown as it is. */
export function isPlainText(s: string): boolean {
  return !UNSTORABLE.test(s);
}

/** A trimmed, non-empty single-line text field of at most `max` characters. */
export function plainText(max: number) {
  return z
    .string()
    .trim()
    .min(1, "is required")
    .max(max, `at most ${max} characters`)
    .refine(isPlainText, "must not contain control characters or invalid Unicode");
}

/** Like `plainText` but may be empty. */
export function optionalPlainText(max: number) {
  return z
    .string()
    .trim()
    .max(max, `at most ${max} characters`)
    .refine(isPlainText, "must not contain control characters or invalid Unicode");
}

import { z } from "zod";

/** Emails are compared trimmed and lower-cased everywhere (the users table insists on it). */
export function normaliseEmail(raw: string): string {
  return raw.trim().toLowerCase();
}

/** An email address, normalised before it is validated. */
export const emailSchema = z
  .string()
  .transform(normaliseEmail)
  .pipe(z.email("must be a valid email address").max(254, "must be at most 254 characters"));

/**
 * A new password. Length is counted in code points after NFKC normalisation,
 * the same form that is hashed, so that visually identical input always matches.
 */
export const newPasswordSchema = z
  .string()
  .transform((p) => p.normalize("NFKC"))
  .refine((p) => [...p].length >= 8, "must be at least 8 characters")
  .refine((p) => [...p].length <= 256, "must be at most 256 characters");

/**
 * Refuses control characters (C0, DEL and C1: line breaks, NUL, escape
 * sequences) and unpaired UTF-16 surrogates, as a 422 rather than a 500.
 * Names and address lines are single-line texts that reach emails, where a
 * CR or LF could end a header or, with a dot, the message itself; Postgres
 * cannot store NUL, and JSON event payloads cannot carry lone surrogates.
 */
const storable = (s: string) => !/\p{Cc}/u.test(s) && s.isWellFormed();
const NOT_STORABLE = "must not contain control characters (such as line breaks) or unpaired surrogates";

/** Trimmed free text of `min` to `max` characters that Postgres can store. */
const text = (max: number, min = 1) =>
  z
    .string()
    .trim()
    .min(min, "must not be empty")
    .max(max, `must be at most ${max} characters`)
    .refine(storable, NOT_STORABLE);

/** A display name. */
export const nameSchema = text(200);

/** POST /api/users/me/addresses body. */
export const addressInput = z.object({
  name: nameSchema,
  line1: text(300),
  line2: text(300, 0)
    .nullish()
    .transform((v) => v || null),
  city: text(200),
  postal_code: text(20),
  country: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^[A-Z]{2}$/, "must be an ISO 3166-1 alpha-2 code"),
  is_default: z.boolean().optional().default(false),
});
export type AddressInput = z.output<typeof addressInput>;

/** PATCH /api/users/me body: unknown keys (e.g. `role`) are refused, not ignored. */
export const profilePatch = z
  .strictObject({
    name: nameSchema.optional(),
    email: emailSchema.optional(),
    password: newPasswordSchema.optional(),
    // As at login: the typed form may be longer than the NFKC form the 256 limit applies to.
    current_password: z.string().max(4096).optional(),
  })
  .refine((p) => p.name !== undefined || p.email !== undefined || p.password !== undefined, {
    message: "send at least one of name, email, password",
  })
  .refine((p) => p.password === undefined || p.current_password !== undefined, {
    path: ["current_password"],
    message: "is required to change the password",
  });
export type ProfilePatch = z.output<typeof profilePatch>;

/** `page` / `page_size` of list routes (a page_size above 100 is capped at 100, as API.md says). */
export const pageQuery = z.object({
  page: z.coerce.number().int().min(1).max(10_000).default(1),
  page_size: z.coerce
    .number()
    .int()
    .min(1)
    .transform((v) => Math.min(v, 100))
    .default(24),
});

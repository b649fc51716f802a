import { z } from "zod";
import { safeText } from "../../platform/validate.ts";

/** Emails are compared trimmed and lower-cased everywhere (the users table insists on it). */
function normaliseEmail(raw: string): string {
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

/** Single-line free text of `min` to `max` characters (the shared text-safety rule). */
const text = (max: number, min = 1) => safeText(max, { min });

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

import { z } from "zod";
import type { Database } from "../../db/client.ts";
import { recordEvent } from "../core/outbox.ts";
import { insertUser, lockUserByEmail, type PublicUser, setUserRole, updateUser } from "../users/queries.ts";
import { emailSchema, nameSchema, newPasswordSchema } from "../users/schemas.ts";
import { hashPassword } from "./passwords.ts";
import { revokeAllForUser } from "./refresh.ts";

/** Input of `bun run create-admin`. */
const adminInput = z.object({
  email: emailSchema,
  password: newPasswordSchema.optional(),
  name: nameSchema.default("Administrator"),
  resetPassword: z.boolean().default(false),
});
export type AdminInput = z.input<typeof adminInput>;

/** What `ensureAdmin` did. */
export interface AdminResult {
  user: PublicUser;
  created: boolean;
  passwordChanged: boolean;
}

/** The user asked for does not exist and no password was given to create them. */
export class PasswordRequiredError extends Error {
  constructor() {
    super("--password is required to create a new admin");
    this.name = "PasswordRequiredError";
  }
}

/**
 * Creates an admin account, or promotes the existing account with that email
 * to admin. An existing account keeps its password unless `resetPassword`
 * is set (which also ends its refresh sessions). Validation errors are thrown
 * as ZodError; run it again safely, it converges.
 */
export async function ensureAdmin(db: Database, raw: AdminInput): Promise<AdminResult> {
  const input = adminInput.parse(raw);
  const passwordHash = input.password === undefined ? undefined : await hashPassword(input.password);
  return db.tx(async (tx) => {
    if (passwordHash !== undefined) {
      // Insert first: with `on conflict do nothing` this is race-free against a concurrent register.
      const created = await insertUser(tx, {
        email: input.email,
        name: input.name,
        passwordHash,
        role: "admin",
      });
      if (created) {
        await recordEvent(
          tx,
          "user.registered",
          { user_id: created.id, email: created.email, name: created.name, role: "admin" },
          created.id,
        );
        return { user: created, created: true, passwordChanged: true };
      }
    }
    const id = await lockUserByEmail(tx, input.email);
    if (id === null) throw new PasswordRequiredError();
    let user = await setUserRole(tx, id, "admin");
    const reset = input.resetPassword && passwordHash !== undefined;
    if (reset) {
      const updated = await updateUser(tx, id, { passwordHash });
      if (updated && updated !== "conflict") user = updated;
      await revokeAllForUser(tx, id);
    }
    return { user: user!, created: false, passwordChanged: reset };
  });
}

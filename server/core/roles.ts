/** The roles of API.md, from least to most privileged. */
export const ROLES = ["customer", "staff", "admin"] as const;

/** A user's role. */
export type Role = (typeof ROLES)[number];

/** The authenticated caller, as the auth middleware puts it on the context. */
export interface AuthUser {
  id: number;
  email: string;
  role: Role;
}

/** The roles that run the shop: they see every order and use the admin routes. */
export const STAFF_ROLES = ["staff", "admin"] as const satisfies readonly Role[];

/** True when the caller is staff (or an admin). */
export function isStaff(user: AuthUser): boolean {
  return (STAFF_ROLES as readonly Role[]).includes(user.role);
}

/** True when `value` is one of the known roles. */
export function isRole(value: unknown): value is Role {
  return typeof value === "string" && (ROLES as readonly string[]).includes(value);
}

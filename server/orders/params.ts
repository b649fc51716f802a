import { z } from "zod";
import { ORDER_STATUSES } from "./state.ts";

const positive = (def: number) =>
  z
    .string()
    .regex(/^\d{1,9}$/, "must be a positive integer")
    .transform(Number)
    .pipe(z.number().int().min(1, "must be at least 1"))
    .optional()
    .transform((v) => v ?? def);

/** `page`, `page_size` (capped at 100, as API.md says) and an optional `status` filter. */
export const listQuery = z.object({
  page: positive(1),
  page_size: positive(24).transform((v) => Math.min(v, 100)),
  status: z.enum(ORDER_STATUSES).optional(),
});

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** True when `id` can be an order id; anything else is simply not found. */
export function isOrderId(id: string): boolean {
  return UUID.test(id);
}

/** The list envelope of API.md. */
export function page<T>(items: T[], q: { page: number; page_size: number }, total: number) {
  return { items, page: q.page, page_size: q.page_size, total };
}

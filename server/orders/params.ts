import { z } from "zod";
import { pageFields } from "../core/paging.ts";
import { ORDER_STATUSES } from "./state.ts";

/** `page`, `page_size` (the shared paging rule) and an optional `status` filter. */
export const listQuery = z.object({
  ...pageFields,
  status: z.enum(ORDER_STATUSES).optional(),
});

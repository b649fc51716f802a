import type { DepartmentSpec } from "../model.ts";
import { electronics } from "./electronics.ts";
import { fashion } from "./fashion.ts";
import { home } from "./home.ts";
import { beauty, garden, office, pets, toys } from "./more.ts";
import { sports } from "./sports.ts";

/** The demo catalog's departments, in storefront order. */
export const DEPARTMENTS: DepartmentSpec[] = [
  electronics,
  home,
  fashion,
  sports,
  beauty,
  toys,
  garden,
  pets,
  office,
];

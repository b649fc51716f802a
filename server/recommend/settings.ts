import { defineSettings, int, knob } from "../../platform/settings.ts";

/** The recommender's settings group (read by the app and by the workers' consumer). */
export const recommendSettingsGroup = defineSettings("recommend", {
  REC_HALF_LIFE_DAYS: knob(
    int(1, 3650),
    "90",
    "co-purchases and popularity lose half their weight after this many days (time decay)",
  ),
  REC_MIN_SUPPORT: knob(
    int(1, 1000),
    "2",
    "orders two products must share before one is recommended with the other",
  ),
  REC_CACHE_TTL_S: knob(
    int(0, 86_400),
    "60",
    "how long an app instance reuses a computed recommendation list; 0 = no cache",
  ),
  REC_FOR_YOU_MAX_AGE_S: knob(
    int(1, 30 * 86_400),
    "86400",
    "a customer's stored for-you list is ranked again on read when older than this (their own orders and views re-rank it at once)",
  ),
});

/** What the recommender is configured with. */
export interface RecommendSettings {
  halfLifeDays: number;
  minSupport: number;
  cacheTtlS: number;
  /** Age after which a stored for-you list is ranked again on read (server/recommend/for-you.ts). */
  forYouMaxAgeS: number;
}

/** Reads the recommender settings from `env`; throws ConfigError naming bad variables. */
export function loadRecommendSettings(env: Record<string, string | undefined>): RecommendSettings {
  const s = recommendSettingsGroup.load(env);
  return {
    halfLifeDays: s.REC_HALF_LIFE_DAYS,
    minSupport: s.REC_MIN_SUPPORT,
    cacheTtlS: s.REC_CACHE_TTL_S,
    forYouMaxAgeS: s.REC_FOR_YOU_MAX_AGE_S,
  };
}

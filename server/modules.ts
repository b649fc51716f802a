import type { Config } from "../platform/config.ts";
import type { LlmSettings } from "./assistant/llm.ts";
import { assistantModule } from "./assistant/routes.ts";
import { loadAssistantSettings } from "./assistant/settings.ts";
import { authModule } from "./auth/routes.ts";
import { cartLoginHook } from "./cart/login-hook.ts";
import { cartModule } from "./cart/routes.ts";
import { type CartSettings, loadCartSettings } from "./cart/settings.ts";
import { adminCatalogModule } from "./catalog/admin/routes.ts";
import { catalogRoutes } from "./catalog/routes.ts";
import { checkoutModule } from "./checkout/routes.ts";
import { type CheckoutFaults, type CheckoutSettings, loadCheckoutSettings } from "./checkout/settings.ts";
import { consoleModule } from "./console/routes.tsx";
import type { RouteModule } from "./core/deps.ts";
import { adminEventsModule } from "./events/admin-routes.ts";
import { forecastModule } from "./forecast/routes.ts";
import { type ForecastSettings, loadForecastSettings } from "./forecast/settings.ts";
import { fraudReviewModule } from "./fraud/routes.ts";
import { type FraudSettings, loadFraudSettings } from "./fraud/settings.ts";
import { adminOrdersModule } from "./orders/admin-routes.ts";
import { ordersModule } from "./orders/routes.ts";
import type { ProviderRegistry } from "./payments/providers.ts";
import { pricingModule } from "./pricing/routes.ts";
import { recommendModule } from "./recommend/routes.ts";
import { loadRecommendSettings, type RecommendSettings } from "./recommend/settings.ts";
import { reviewsModule } from "./reviews/routes.ts";
import { searchModule } from "./search/routes.ts";
import { semanticModule } from "./semantic/routes.ts";
import type { SemanticSettings } from "./semantic/service.ts";
import { loadSemanticSettings } from "./semantic/settings.ts";
import { storefrontModule } from "./storefront/routes.tsx";
import { usersModule } from "./users/routes.ts";
import { visionModule } from "./vision/routes.ts";
import { loadVisionSettings, type VisionSettings } from "./vision/settings.ts";

/** The settings groups of the domains that have their own (read once, at start-up). */
export interface DomainSettings {
  cart: CartSettings;
  checkout: CheckoutSettings;
  fraud: FraudSettings;
  recommend: RecommendSettings;
  forecast: ForecastSettings;
  /** Null when semantic blending is off. */
  semantic: SemanticSettings | null;
  vision: VisionSettings;
  /** The assistant's optional language model. */
  assistantLlm: LlmSettings | null;
}

/** Reads every domain settings group from `env`; throws ConfigError naming each bad variable. */
export function loadDomainSettings(config: Config, env: Record<string, string | undefined>): DomainSettings {
  return {
    cart: loadCartSettings(config, env),
    checkout: loadCheckoutSettings(env),
    fraud: loadFraudSettings(env),
    recommend: loadRecommendSettings(env),
    forecast: loadForecastSettings(env),
    semantic: loadSemanticSettings(env),
    vision: loadVisionSettings(env),
    assistantLlm: loadAssistantSettings(env),
  };
}

/** What the route modules are built from besides AppDeps. */
export interface ModuleOptions extends DomainSettings {
  providers: ProviderRegistry;
  /** Test-only fault injection into checkout; production never sets it. */
  checkoutFaults?: CheckoutFaults;
}

/** Every domain module's routes, in mount order. Each domain adds itself here. */
export function appModules(o: ModuleOptions): RouteModule[] {
  return [
    cartLoginHook(o.cart), // wraps the auth routes (merges X-Cart-Token carts at sign-in), so it goes first
    authModule,
    usersModule,
    catalogRoutes,
    searchModule(),
    semanticModule(o.semantic),
    visionModule(o.vision),
    assistantModule(o.assistantLlm),
    reviewsModule,
    recommendModule(o.recommend),
    cartModule(o.cart),
    checkoutModule({
      cart: o.cart,
      settings: o.checkout,
      fraud: o.fraud,
      providers: o.providers,
      faults: o.checkoutFaults,
    }),
    ordersModule(o.providers),
    adminOrdersModule(o.providers),
    fraudReviewModule(o.providers),
    forecastModule(o.forecast),
    pricingModule(o.forecast),
    adminCatalogModule,
    adminEventsModule,
    consoleModule,
    storefrontModule(o.recommend), // server-rendered pages: last, they call the API routes above in-process
  ];
}

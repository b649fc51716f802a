import { configDocs } from "../platform/config.ts";
import { tracingSettings } from "../platform/tracing.ts";
import { proxySettings } from "../proxy/settings.ts";
import { assistantSettingsGroup } from "../server/assistant/settings.ts";
import { cartSettingsGroup } from "../server/cart/settings.ts";
import { checkoutSettingsGroup } from "../server/checkout/settings.ts";
import { forecastSettingsGroup } from "../server/forecast/settings.ts";
import { fraudSettingsGroup } from "../server/fraud/settings.ts";
import { eventsHealthSettings } from "../server/ops/settings.ts";
import { paymentSettings } from "../server/payments/test-card-policy.ts";
import { recommendSettingsGroup } from "../server/recommend/settings.ts";
import { semanticSettingsGroup } from "../server/semantic/settings.ts";
import { visionSettingsGroup } from "../server/vision/settings.ts";
import { workerSettings } from "../workers/settings.ts";

/** Every settings group a process reads, in the order the README lists them. */
const rows = [
  ...configDocs(),
  ...cartSettingsGroup.docs(),
  ...checkoutSettingsGroup.docs(),
  ...fraudSettingsGroup.docs(),
  ...recommendSettingsGroup.docs(),
  ...forecastSettingsGroup.docs(),
  ...semanticSettingsGroup.docs(),
  ...visionSettingsGroup.docs(),
  ...assistantSettingsGroup.docs(),
  ...paymentSettings.docs(),
  ...eventsHealthSettings.docs(),
  ...workerSettings.docs(),
  ...proxySettings.docs(),
  ...tracingSettings.docs(),
];

/** How the README shows a default: values in code spans; "(unset)", "(empty)" and prose as they are. */
function shownDefault(value: string): string {
  if (value === "(unset)") return value;
  if (value === "") return "(empty)";
  if (/^[A-Za-z]+( [A-Za-z]+)+$/.test(value)) return value;
  return `\`${value}\``;
}

/** Prints the README's configuration table from the settings groups' own descriptions. */
console.log("| variable | default | meaning |\n| --- | --- | --- |");
for (const row of rows) console.log(`| \`${row.variable}\` | ${shownDefault(row.default)} | ${row.doc} |`);

import { configDocs } from "../platform/config.ts";
import { cartSettingsGroup } from "../server/cart/settings.ts";
import { checkoutSettingsGroup } from "../server/checkout/settings.ts";
import { eventsHealthSettings } from "../server/ops/settings.ts";
import { paymentSettings } from "../server/payments/test-card-policy.ts";
import { workerSettings } from "../workers/settings.ts";

/** Every settings group a process reads, in the order the README lists them. */
const rows = [
  ...configDocs(),
  ...cartSettingsGroup.docs(),
  ...checkoutSettingsGroup.docs(),
  ...paymentSettings.docs(),
  ...eventsHealthSettings.docs(),
  ...workerSettings.docs(),
];

/** Prints the README's configuration table from the settings groups' own descriptions. */
console.log("| variable | default | meaning |\n| --- | --- | --- |");
for (const row of rows)
  console.log(
    `| \`${row.variable}\` | ${row.default === "(unset)" ? "(unset)" : `\`${row.default}\``} | ${row.doc} |`,
  );

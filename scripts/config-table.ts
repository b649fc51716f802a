import { configDocs } from "../platform/config.ts";
import { paymentSettings } from "../server/checkout/test-card-policy.ts";

/** Prints the README's configuration table from the config module's own descriptions. */
console.log("| variable | default | meaning |\n| --- | --- | --- |");
for (const row of [...configDocs(), ...paymentSettings.docs()])
  console.log(
    `| \`${row.variable}\` | ${row.default === "(unset)" ? "(unset)" : `\`${row.default}\``} | ${row.doc} |`,
  );

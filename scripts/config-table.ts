import { configDocs } from "../platform/config.ts";
import { proxySettings } from "../proxy/settings.ts";

/** Prints the README's configuration table from the settings groups' own descriptions. */
console.log("| variable | default | meaning |\n| --- | --- | --- |");
for (const row of [...configDocs(), ...proxySettings.docs()])
  console.log(
    `| \`${row.variable}\` | ${row.default === "(unset)" ? "(unset)" : `\`${row.default}\``} | ${row.doc} |`,
  );

import { configDocs } from "../platform/config.ts";
import { eventsHealthSettings } from "../server/ops/settings.ts";
import { workerSettings } from "../workers/settings.ts";

/** Prints the README's configuration table from the config modules' own descriptions. */
console.log("| variable | default | meaning |\n| --- | --- | --- |");
for (const row of [...configDocs(), ...eventsHealthSettings.docs(), ...workerSettings.docs()])
  console.log(
    `| \`${row.variable}\` | ${row.default === "(unset)" ? "(unset)" : `\`${row.default}\``} | ${row.doc} |`,
  );

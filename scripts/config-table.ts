import { configDocs } from "../platform/config.ts";

/** Prints the README's configuration table from the config module's own descriptions. */
console.log("| variable | default | meaning |\n| --- | --- | --- |");
for (const row of configDocs())
  console.log(
    `| \`${row.variable}\` | ${row.default === "(unset)" ? "(unset)" : `\`${row.default}\``} | ${row.doc} |`,
  );

import { expect, test } from "bun:test";
import { join } from "node:path";
import { appRuntimeEnv } from "./runtime-env.ts";

const root = join(import.meta.dir, "..");

// The deployments start server/main.ts directly (no cluster shim), so each must set the variables itself.
test.each(["compose/docker-compose.prod.yml", "deploy/swarm/stack.yml", "deploy/k8s/base/app.yaml"])(
  "%s starts app instances with appRuntimeEnv",
  async (file) => {
    const text = await Bun.file(join(root, file)).text();
    for (const [name, value] of Object.entries(appRuntimeEnv)) {
      const yamlMap = new RegExp(`${name}: "${value}"`);
      const k8sList = new RegExp(`name: ${name}, value: "${value}"`);
      expect(yamlMap.test(text) || k8sList.test(text)).toBe(true);
    }
  },
);

import { describe, expect, test } from "bun:test";
import { join } from "node:path";
import { YAML } from "bun";
import { checkManifests, type K8sObject, validateSchemas } from "./k8s-rules.ts";

/**
 * Renders every Kubernetes overlay with `kubectl kustomize`, validates each
 * object against the Kubernetes schemas (kubernetes-models) and checks the
 * deployment rules (probes, resources, security contexts, only the proxy
 * exposed, data services reachable only from app and workers, HPA, PDBs,
 * CloudNativePG services). Needs kubectl (it bundles kustomize).
 */
const root = join(import.meta.dir, "..", "..", "deploy", "k8s", "overlays");
const overlays = ["staging", "production"];
const kubectl = Bun.which("kubectl");

function render(overlay: string): K8sObject[] {
  const r = Bun.spawnSync(["kubectl", "kustomize", join(root, overlay)], { stdout: "pipe", stderr: "pipe" });
  if (r.exitCode !== 0) throw new Error(`kubectl kustomize ${overlay}: ${r.stderr.toString()}`);
  const docs = YAML.parse(r.stdout.toString());
  return (Array.isArray(docs) ? docs : [docs]) as K8sObject[];
}

describe.skipIf(!kubectl)("kubernetes overlays", () => {
  for (const overlay of overlays) {
    test(`${overlay}: every object is valid against the Kubernetes schemas`, async () => {
      const objects = render(overlay);
      expect(objects.length).toBeGreaterThan(15);
      expect(await validateSchemas(objects)).toEqual([]);
    });
    test(`${overlay}: probes, resources, security, exposure and data access rules hold`, () => {
      expect(checkManifests(render(overlay), { overlay })).toEqual([]);
    });
  }

  test("the rules catch a broken manifest", () => {
    const objects = render("production");
    const app = objects.find((o) => o.kind === "Deployment" && o.metadata.name === "app") as K8sObject;
    const container = (app.spec as { template: { spec: { containers: Record<string, unknown>[] } } }).template
      .spec.containers[0] as Record<string, unknown>;
    delete container.readinessProbe;
    delete container.resources;
    objects.push({
      apiVersion: "v1",
      kind: "Service",
      metadata: { name: "db-public" },
      spec: { type: "LoadBalancer" },
    });
    const problems = checkManifests(objects, { overlay: "production" });
    expect(problems).toContain("Deployment/app container app: no readinessProbe on /readyz");
    expect(problems).toContain(
      "Deployment/app container app: resources.requests and limits (cpu, memory) required",
    );
    expect(problems).toContain("Service/db-public: type LoadBalancer exposes it outside the cluster");
  });
});

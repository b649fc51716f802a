/**
 * Checks over rendered Kubernetes manifests (deploy/k8s): schema validation
 * with kubernetes-models for built-in kinds, a structural check for the
 * CloudNativePG kinds, and the deployment rules of the issue.
 */
export interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
  };
  spec?: unknown;
  data?: Record<string, string>;
  [key: string]: unknown;
}

interface Container {
  name: string;
  image?: string;
  livenessProbe?: { httpGet?: { path?: string } };
  readinessProbe?: { httpGet?: { path?: string } };
  resources?: { requests?: Record<string, string>; limits?: Record<string, string> };
  securityContext?: {
    allowPrivilegeEscalation?: boolean;
    readOnlyRootFilesystem?: boolean;
    capabilities?: { drop?: string[] };
  };
}
interface PodSpec {
  containers: Container[];
  securityContext?: { runAsNonRoot?: boolean; seccompProfile?: { type?: string } };
}

type Validating = new (data: unknown) => { validate(): void };

/** The kubernetes-models class of a built-in kind, or undefined for custom resources. */
async function modelClass(apiVersion: string, kind: string): Promise<Validating | undefined> {
  const path = apiVersion.includes("/") ? apiVersion : `v1`;
  try {
    const mod = (await import(`kubernetes-models/${path}/${kind}`)) as Record<string, Validating>;
    return mod[kind];
  } catch {
    return undefined;
  }
}

const customKinds: Record<string, (o: K8sObject) => string[]> = {
  "postgresql.cnpg.io/v1/Cluster": (o) => {
    const spec = o.spec as { instances?: number; storage?: { size?: string }; bootstrap?: unknown };
    const out: string[] = [];
    if (spec?.instances !== 2) out.push("Cluster: one primary and one replica (instances: 2)");
    if (!spec?.storage?.size) out.push("Cluster: storage.size required");
    return out;
  },
  "postgresql.cnpg.io/v1/ScheduledBackup": (o) =>
    (o.spec as { cluster?: { name?: string } })?.cluster?.name
      ? []
      : ["ScheduledBackup: cluster.name required"],
};

/** Validation errors of every object ("Kind/name: message"); an unknown kind is an error too. */
export async function validateSchemas(objects: K8sObject[]): Promise<string[]> {
  const errors: string[] = [];
  for (const o of objects) {
    const id = `${o.kind}/${o.metadata?.name}`;
    const custom = customKinds[`${o.apiVersion}/${o.kind}`];
    if (custom) {
      errors.push(...custom(o).map((e) => `${id}: ${e}`));
      continue;
    }
    const Model = await modelClass(o.apiVersion, o.kind);
    if (!Model) {
      errors.push(`${id}: no schema for ${o.apiVersion} ${o.kind}`);
      continue;
    }
    try {
      new Model(o).validate();
    } catch (err) {
      errors.push(`${id}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  return errors;
}

function podSpecOf(o: K8sObject): PodSpec | undefined {
  if (o.kind === "Deployment") return (o.spec as { template: { spec: PodSpec } }).template.spec;
  if (o.kind === "Job") return (o.spec as { template: { spec: PodSpec } }).template.spec;
  return undefined;
}

/** Long-running containers need a liveness probe on /healthz and a readiness probe (/readyz where traffic is served). */
function containerRules(id: string, c: Container, long: boolean, servesTraffic: boolean): string[] {
  const out: string[] = [];
  const where = `${id} container ${c.name}`;
  if (long) {
    if (c.livenessProbe?.httpGet?.path !== "/healthz") out.push(`${where}: no livenessProbe on /healthz`);
    const readiness = c.readinessProbe?.httpGet?.path;
    if (servesTraffic ? readiness !== "/readyz" : !readiness)
      out.push(`${where}: no readinessProbe on /readyz`);
  }
  const r = c.resources;
  if (!r?.requests?.cpu || !r.requests.memory || !r.limits?.cpu || !r.limits.memory)
    out.push(`${where}: resources.requests and limits (cpu, memory) required`);
  const s = c.securityContext;
  if (
    s?.allowPrivilegeEscalation !== false ||
    s.readOnlyRootFilesystem !== true ||
    !s.capabilities?.drop?.includes("ALL")
  )
    out.push(
      `${where}: securityContext must forbid privilege escalation, drop ALL and mount the root read-only`,
    );
  return out;
}

interface PolicyPeer {
  podSelector?: { matchLabels?: Record<string, string> };
  namespaceSelector?: { matchLabels?: Record<string, string> };
}
interface PolicySpec {
  podSelector: { matchLabels?: Record<string, string> };
  ingress?: { from?: PolicyPeer[] }[];
}

/** Rules on the rendered overlay; returns the problems found (empty = all hold). */
export function checkManifests(objects: K8sObject[], opts: { overlay: string }): string[] {
  const out: string[] = [];
  const byKind = (kind: string) => objects.filter((o) => o.kind === kind);
  for (const o of [...byKind("Deployment"), ...byKind("Job")]) {
    const id = `${o.kind}/${o.metadata.name}`;
    const pod = podSpecOf(o);
    if (!pod) continue;
    if (
      pod.securityContext?.runAsNonRoot !== true ||
      pod.securityContext.seccompProfile?.type !== "RuntimeDefault"
    )
      out.push(`${id}: pod securityContext must set runAsNonRoot and seccompProfile RuntimeDefault`);
    const long = o.kind === "Deployment";
    for (const c of pod.containers)
      out.push(...containerRules(id, c, long, long && o.metadata.name !== "workers"));
  }
  for (const name of ["proxy", "app", "workers"])
    if (!byKind("Deployment").some((d) => d.metadata.name === name)) out.push(`Deployment/${name} missing`);
  if (!byKind("Job").some((j) => j.metadata.name === "migrate")) out.push("Job/migrate missing");

  // Only the proxy is exposed: no LoadBalancer/NodePort Services, every Ingress backend is the proxy.
  for (const s of byKind("Service")) {
    const type = (s.spec as { type?: string })?.type;
    if (type === "LoadBalancer" || type === "NodePort")
      out.push(`Service/${s.metadata.name}: type ${type} exposes it outside the cluster`);
  }
  for (const ing of byKind("Ingress")) {
    const text = JSON.stringify((ing.spec as { rules?: unknown })?.rules ?? []);
    const backends = [...text.matchAll(/"service":\{"name":"([^"]+)"/g)].map((m) => m[1]);
    if (!backends.length || backends.some((b) => b !== "proxy"))
      out.push(`Ingress/${ing.metadata.name}: routes to ${backends.join(", ")}`);
    if (!(ing.spec as { tls?: unknown[] }).tls?.length) out.push(`Ingress/${ing.metadata.name}: no TLS`);
  }

  // Network policies: default deny; only the proxy admits other namespaces' ingress controller;
  // Postgres admits only db clients (app, workers, migrate), its own instances and the operator.
  const policies = byKind("NetworkPolicy").map((p) => ({
    name: p.metadata.name,
    spec: p.spec as PolicySpec,
  }));
  if (!policies.some((p) => !p.spec.podSelector.matchLabels && !p.spec.ingress))
    out.push("NetworkPolicy: no default-deny ingress policy");
  for (const p of policies) {
    const peers = (p.spec.ingress ?? []).flatMap((r) => r.from ?? [{}]);
    const fromIngress = peers.some(
      (f) => f.namespaceSelector?.matchLabels?.["kubernetes.io/metadata.name"] === "ingress-nginx",
    );
    const fromAnywhere = (p.spec.ingress ?? []).some((r) => !r.from);
    const target = p.spec.podSelector.matchLabels?.["app.kubernetes.io/name"];
    if ((fromIngress || fromAnywhere) && target !== "proxy")
      out.push(`NetworkPolicy/${p.name}: admits outside traffic to ${target ?? "pods other than the proxy"}`);
    if (p.spec.podSelector.matchLabels?.["cnpg.io/cluster"]) {
      for (const f of peers) {
        const labels = f.podSelector?.matchLabels ?? {};
        const ns = f.namespaceSelector?.matchLabels?.["kubernetes.io/metadata.name"];
        const ok =
          labels["commerce/db-client"] === "true" ||
          labels["cnpg.io/cluster"] ||
          ns === "cnpg-system" ||
          ns === "monitoring";
        if (!ok) out.push(`NetworkPolicy/${p.name}: Postgres admits ${JSON.stringify(f)}`);
      }
    }
  }
  const dbClients = [...byKind("Deployment"), ...byKind("Job")].filter(
    (o) =>
      (o.spec as { template: { metadata?: { labels?: Record<string, string> } } }).template.metadata
        ?.labels?.["commerce/db-client"] === "true",
  );
  const clientNames = dbClients.map((o) => o.metadata.name).sort();
  if (clientNames.join(",") !== "app,migrate,workers")
    out.push(`db clients are ${clientNames.join(",")}, want app,migrate,workers`);

  // Autoscaling and disruption budgets.
  const hpa = byKind("HorizontalPodAutoscaler").find((h) => h.metadata.name === "app");
  const hs = hpa?.spec as
    | {
        minReplicas?: number;
        maxReplicas?: number;
        metrics?: { resource?: { name?: string; target?: { averageUtilization?: number } } }[];
      }
    | undefined;
  if (!hs) out.push("HorizontalPodAutoscaler/app missing");
  else {
    if (hs.metrics?.[0]?.resource?.name !== "cpu" || hs.metrics[0].resource.target?.averageUtilization !== 70)
      out.push("HorizontalPodAutoscaler/app: CPU 70% target required");
    if (opts.overlay === "production" && (hs.minReplicas !== 3 || hs.maxReplicas !== 10))
      out.push(
        `HorizontalPodAutoscaler/app: production scales 3 to 10, got ${hs.minReplicas} to ${hs.maxReplicas}`,
      );
  }
  for (const name of ["app", "proxy"])
    if (!byKind("PodDisruptionBudget").some((p) => p.metadata.name === name))
      out.push(`PodDisruptionBudget/${name} missing`);

  // The app's database URLs point at CloudNativePG's read-write and read-only services.
  const config = byKind("ConfigMap").find((c) => c.metadata.name === "commerce-config");
  if (!config?.data?.DATABASE_URL?.includes("@commerce-db-rw:"))
    out.push("ConfigMap: DATABASE_URL must use commerce-db-rw");
  if (!config?.data?.DATABASE_REPLICA_URLS?.includes("@commerce-db-ro:"))
    out.push("ConfigMap: DATABASE_REPLICA_URLS must use commerce-db-ro");
  if (Object.values(config?.data ?? {}).some((v) => /:\/\/[^/@]*:[^/@]*@/.test(v)))
    out.push("ConfigMap: a URL carries a password");
  return out;
}

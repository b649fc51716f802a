import { describe, expect, setDefaultTimeout, test } from "bun:test";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { servicesRequired } from "../../db/testing.ts";
import { alertRules, monitoringFiles } from "./files.ts";

/**
 * The alert rules and the Prometheus config, checked by promtool (Debian's
 * `prometheus` package; .ci/run installs it): `check rules`, the unit tests
 * in compose/prometheus/rules.test.yml (`test rules`) and `check config`.
 * Without promtool the suite is skipped with a message, unless the run must
 * use every tool (REQUIRE_SERVICES=1 / CI=true): then it fails.
 */
// promtool runs take seconds on a busy machine: more than bun's 5 s default per test.
setDefaultTimeout(60_000);
const promtool = Bun.which("promtool");
if (!promtool && !servicesRequired())
  console.warn("scripts/monitoring/rules.test.ts: promtool not found (apt-get install prometheus); skipped");

function run(args: string[], cwd: string): { code: number; out: string } {
  const r = Bun.spawnSync([promtool ?? "promtool", ...args], { cwd, stdout: "pipe", stderr: "pipe" });
  return { code: r.exitCode, out: `${r.stdout.toString()}${r.stderr.toString()}` };
}

test.if(!promtool && servicesRequired())("promtool is installed (required in CI)", () => {
  expect(promtool, "promtool not found: apt-get install prometheus").not.toBeNull();
});

describe.skipIf(!promtool)("alert rules (promtool)", () => {
  const dir = monitoringFiles.prometheusDir;

  test("promtool check rules", () => {
    const r = run(["check", "rules", "rules.yml"], dir);
    expect(r.out).toContain("SUCCESS");
    expect(r.code).toBe(0);
  });

  test("promtool test rules: every alert fires and stays quiet where it should", () => {
    const r = run(["test", "rules", "rules.test.yml"], dir);
    expect(r.out).toContain("SUCCESS");
    expect(r.code).toBe(0);
  });

  test("the unit tests catch a wrong threshold (error rate 50% instead of 5%)", () => {
    const tmp = mkdtempSync(join(tmpdir(), "rules-"));
    try {
      const rules = readFileSync(join(dir, "rules.yml"), "utf8");
      expect(rules).toContain("> 0.05");
      writeFileSync(join(tmp, "rules.yml"), rules.replace("> 0.05", "> 0.5"));
      writeFileSync(join(tmp, "rules.test.yml"), readFileSync(join(dir, "rules.test.yml")));
      const r = run(["test", "rules", "rules.test.yml"], tmp);
      expect(r.code).not.toBe(0);
      expect(r.out).toContain("HighErrorRate");
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  test("promtool check config: the scrape config with its rules and Alertmanager", () => {
    // The config names the rules by their path inside the container; check a copy that names the checkout's.
    const tmp = mkdtempSync(join(tmpdir(), "prom-"));
    try {
      const config = readFileSync(join(dir, "prometheus.yml"), "utf8").replace(
        "/etc/prometheus/rules.yml",
        join(dir, "rules.yml"),
      );
      writeFileSync(join(tmp, "prometheus.yml"), config);
      const r = run(["check", "config", "prometheus.yml"], tmp);
      expect(r.out).toContain("SUCCESS");
      expect(r.code).toBe(0);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  });
});

// Optional (Debian's prometheus-alertmanager has amtool; CI does not install it).
const amtool = Bun.which("amtool");
test.skipIf(!amtool)("amtool check-config: compose/alertmanager/alertmanager.yml", () => {
  const file = join(monitoringFiles.prometheusDir, "..", "alertmanager", "alertmanager.yml");
  const r = Bun.spawnSync([amtool ?? "amtool", "check-config", file], { stdout: "pipe", stderr: "pipe" });
  expect(`${r.stdout.toString()}${r.stderr.toString()}`).toContain("SUCCESS");
  expect(r.exitCode).toBe(0);
});

test("every alert has a runbook entry in docs/operations.md", () => {
  const runbook = readFileSync(monitoringFiles.operationsDoc, "utf8");
  const headings = new Set([...runbook.matchAll(/^#{2,4} (\w+)\s*$/gm)].map((m) => m[1]!.toLowerCase()));
  const rules = alertRules();
  expect(rules.length).toBeGreaterThan(10);
  for (const r of rules) {
    expect(r.runbook, `${r.alert}: runbook annotation`).toBe(`docs/operations.md#${r.alert.toLowerCase()}`);
    expect(headings.has(r.alert.toLowerCase()), `${r.alert}: heading in docs/operations.md`).toBe(true);
  }
});

import { existsSync, mkdirSync } from "node:fs";
import { join } from "node:path";

/**
 * Makes a self-signed development certificate for the proxy's HTTPS listener
 * with the openssl CLI, into `dir` (kept when both files exist unless
 * `force`). `bun scripts/make-cert.ts [dir]` runs it from the command line.
 */
export function makeDevCert(dir: string, force = false): { cert: string; key: string } {
  mkdirSync(dir, { recursive: true });
  const cert = join(dir, "dev-cert.pem");
  const key = join(dir, "dev-key.pem");
  if (!force && existsSync(cert) && existsSync(key)) return { cert, key };
  const r = Bun.spawnSync(
    [
      "openssl",
      "req",
      "-x509",
      "-newkey",
      "rsa:2048",
      "-nodes",
      "-sha256",
      "-days",
      "825",
      "-subj",
      "/CN=localhost",
      "-addext",
      "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1",
      "-keyout",
      key,
      "-out",
      cert,
    ],
    { stdout: "ignore", stderr: "pipe" },
  );
  if (r.exitCode !== 0) throw new Error(`openssl failed: ${r.stderr.toString()}`);
  return { cert, key };
}

import { existsSync, mkdirSync } from "node:fs";
import { join, resolve } from "node:path";

/**
 * Makes a self-signed development certificate for the proxy's HTTPS listener
 * with the openssl CLI: `bun scripts/make-cert.ts [dir]` (default `certs/`,
 * which is gitignored). Then run the proxy with
 * TLS_CERT_FILE=certs/dev-cert.pem TLS_KEY_FILE=certs/dev-key.pem.
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

if (import.meta.main) {
  const dir = resolve(process.argv[2] ?? join(import.meta.dir, "..", "certs"));
  const { cert, key } = makeDevCert(dir, process.argv.includes("--force"));
  console.log(`TLS_CERT_FILE=${cert}\nTLS_KEY_FILE=${key}`);
}

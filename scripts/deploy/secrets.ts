import { randomBytes } from "node:crypto";
import {
  chmodSync,
  chownSync,
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { makeDevCert } from "../../proxy/dev-cert.ts";

/**
 * Secret files and the TLS certificate for a compose or Swarm deployment.
 * Existing files are kept (re-running never rotates a password under a running
 * database). Files are mode 0444 inside a 0700 directory: the directory keeps
 * other host users out, while each container (app uid 1000, postgres, rabbitmq)
 * can read the files bind-mounted into it. The TLS key is owned by uid 1000
 * (the image's user), mode 0400.
 */

/** A random password; includes URL-reserved characters on purpose (`@`, `:`, `/`, `%`), never `#` or a quote. */
export function password(bytes = 18): string {
  return `${randomBytes(bytes).toString("base64url")}@:/%`;
}

/** The secret names and how to make each one the first time. */
function secretMakers(): Record<string, (existing: Record<string, string>) => string> {
  return {
    jwt_secret: () => randomBytes(48).toString("base64url"),
    postgres_password: () => password(),
    replication_password: () => password(),
    rabbitmq_password: () => password(),
    // RabbitMQ's conf.d format: the value runs to the end of the line.
    "rabbitmq.conf": (s) => `default_user = commerce\ndefault_pass = ${s.rabbitmq_password}\n`,
    // One newline, not empty: Swarm refuses empty secrets; the preload drops it (= mail is logged).
    smtp_url: () => "\n",
    grafana_password: () => password(),
    admin_password: () => password(),
  };
}

/** Writes missing secret files into `dir`; returns every secret's value by name. */
export function ensureSecrets(dir: string): Record<string, string> {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  chmodSync(dir, 0o700);
  const values: Record<string, string> = {};
  for (const [name, make] of Object.entries(secretMakers())) {
    const file = join(dir, name);
    if (!existsSync(file)) {
      writeFileSync(file, make(values), { mode: 0o444 });
      chmodSync(file, 0o444);
    }
    values[name] = readFileSync(file, "utf8");
  }
  return values;
}

/**
 * A self-signed certificate as `tls.crt` / `tls.key` in `dir` when none is
 * there (a real deployment puts its CA-issued or ACME files there instead).
 */
export function ensureCertificate(dir: string): { cert: string; key: string } {
  mkdirSync(dir, { recursive: true, mode: 0o755 });
  const cert = join(dir, "tls.crt");
  const key = join(dir, "tls.key");
  if (!existsSync(cert) || !existsSync(key)) {
    const made = makeDevCert(join(dir, ".self-signed"), true);
    copyFileSync(made.cert, cert);
    copyFileSync(made.key, key);
  }
  chmodSync(cert, 0o444);
  chmodSync(key, 0o400);
  if (process.getuid?.() === 0) chownSync(key, 1000, 1000);
  return { cert, key };
}

if (import.meta.main) {
  const dir = process.argv[2] ?? join(import.meta.dir, "..", "..", "compose", "secrets");
  ensureSecrets(dir);
  console.log(`secrets in ${dir}`);
  if (process.argv[3]) console.log(`certificate: ${ensureCertificate(process.argv[3]).cert}`);
}

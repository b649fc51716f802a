import { join, resolve } from "node:path";
import { makeDevCert } from "../proxy/dev-cert.ts";

/**
 * `bun scripts/make-cert.ts [dir] [--force]`: a self-signed development
 * certificate (default `certs/`, which is gitignored). Then run the proxy with
 * TLS_CERT_FILE=certs/dev-cert.pem TLS_KEY_FILE=certs/dev-key.pem.
 */
const dir = resolve(process.argv[2] ?? join(import.meta.dir, "..", "certs"));
const { cert, key } = makeDevCert(dir, process.argv.includes("--force"));
console.log(`TLS_CERT_FILE=${cert}\nTLS_KEY_FILE=${key}`);

import { afterAll, expect, test } from "bun:test";
import { X509Certificate } from "node:crypto";
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { connect as connectTcp } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { connect, type TLSSocket } from "node:tls";
import { makeDevCert } from "./dev-cert.ts";
import { encodeV1 } from "./proxy-protocol.ts";
import { killAll, spawnUpstream, waitFor } from "./testing/helpers.ts";
import { spawnProxyMain } from "./testing/real-client.ts";

/** SIGHUP re-reads TLS_CERT_FILE / TLS_KEY_FILE: new connections get the new certificate, open ones carry on. */
afterAll(killAll);
const tmp = mkdtempSync(join(tmpdir(), "proxy-tls-reload-"));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

const fingerprint = (pem: string) => new X509Certificate(pem).fingerprint256;

/** Opens a TLS connection and resolves with it and the fingerprint of the certificate it was served. */
function open(port: number, proxyProtocol: boolean): Promise<{ sock: TLSSocket; served: string }> {
  return new Promise((resolve, reject) => {
    const opts = { rejectUnauthorized: false, ALPNProtocols: ["http/1.1"] };
    const ready = () => resolve({ sock, served: sock.getPeerX509Certificate()!.fingerprint256 });
    let sock: TLSSocket;
    if (proxyProtocol) {
      // A load balancer's PROXY header, then the handshake, through the proxy's TLS relay.
      const raw = connectTcp({ host: "127.0.0.1", port });
      raw.once("error", reject);
      raw.write(encodeV1({ sourceIp: "203.0.113.9", sourcePort: 40000, destIp: "10.0.0.1", destPort: 443 }));
      sock = connect({ ...opts, socket: raw }, ready);
    } else sock = connect({ ...opts, host: "127.0.0.1", port }, ready);
    sock.once("error", reject);
    // After the handshake: an error ends this connection only (the test looks at what it answered).
    sock.on("error", () => {});
  });
}

/** One keep-alive request on an open connection; resolves with the upstream's name. */
function ask(sock: TLSSocket): Promise<string | undefined> {
  return new Promise((resolve) => {
    let text = "";
    const onData = (d: Buffer) => {
      text += d.toString();
      if (text.includes("}")) {
        sock.off("data", onData);
        resolve(/"name":"(\w+)"/.exec(text)?.[1]);
      }
    };
    sock.on("data", onData);
    sock.write("GET /api/who HTTP/1.1\r\nHost: shop\r\n\r\n");
  });
}

test.each([
  ["one process", "1", false],
  ["two workers", "2", false],
  ["behind the PROXY protocol relay", "1", true],
])(
  "%s: SIGHUP serves a renewed certificate to new connections without dropping open ones",
  async (_name, workers, pp) => {
    const up = await spawnUpstream("a");
    const first = makeDevCert(join(tmp, `first-${workers}-${pp}`), true);
    const second = makeDevCert(join(tmp, `second-${workers}-${pp}`), true);
    const live = {
      cert: join(tmp, `live-${workers}-${pp}.crt`),
      key: join(tmp, `live-${workers}-${pp}.key`),
    };
    copyFileSync(first.cert, live.cert);
    copyFileSync(first.key, live.key);
    // With two workers the supervisor logs "proxy listening" before they all bound: wait for TLS below.
    const { proc, tlsPort, logs } = await spawnProxyMain({
      PROXY_RATE_LIMIT: "off",
      PROXY_ACCESS_LOG: "off",
      PROXY_WORKERS: workers,
      PROXY_UPSTREAMS: `127.0.0.1:${up.port}`,
      TLS_CERT_FILE: live.cert,
      TLS_KEY_FILE: live.key,
      ...(pp
        ? { PROXY_PROXY_PROTOCOL: "on", PROXY_TRUSTED_PROXIES: "127.0.0.1/32", PROXY_TLS_REDIRECT: "off" }
        : {}),
    });
    try {
      await waitFor(async () => {
        try {
          (await open(tlsPort, pp)).sock.destroy();
          return true;
        } catch {
          return false;
        }
      });
      const before = await open(tlsPort, pp);
      expect(before.served).toBe(fingerprint(readFileSync(first.cert, "utf8")));
      expect(await ask(before.sock)).toBe("a");

      copyFileSync(second.cert, live.cert);
      copyFileSync(second.key, live.key);
      proc.kill("SIGHUP");
      const renewed = fingerprint(readFileSync(second.cert, "utf8"));
      // Every worker rebinds: poll until several new connections in a row get the new certificate.
      await waitFor(async () => {
        for (let i = 0; i < 6; i++) {
          // A connection queued on the old listening socket the instant it closes is reset by the
          // kernel (docs/operations.md); the client's retry lands on the new one.
          const c = await open(tlsPort, pp).catch(() => null);
          if (!c) return false;
          c.sock.destroy();
          if (c.served !== renewed) return false;
        }
        return true;
      });
      // The connection opened before the reload still serves requests.
      expect(await ask(before.sock)).toBe("a");
      before.sock.destroy();
      expect(logs.lines.some((l) => l.msg === "TLS certificate reloaded")).toBe(true);
    } finally {
      proc.kill("SIGTERM");
      await proc.exited;
      await up.kill();
    }
  },
);

import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { freePort, root, spawn } from "./processes.ts";

/** The TLS listener of the reference (`listen … ssl http2`). */
export interface NginxTls {
  port: number;
  cert: string;
  key: string;
}

/**
 * How the client address reaches the servers (`BENCH_REAL_IP`): `off` (the
 * socket peer), `xff` (a trusted peer's X-Forwarded-For) or `proxy-protocol`
 * (a PROXY header from a trusted peer, written by HAProxy in front).
 */
export type RealIpMode = "off" | "xff" | "proxy-protocol";

/** nginx's equivalent of `PROXY_TRUSTED_PROXIES=127.0.0.1` and, for the PROXY protocol, `listen … proxy_protocol`. */
function realIp(mode: RealIpMode): { listen: string; conf: string } {
  if (mode === "off") return { listen: "", conf: "" };
  const header = mode === "xff" ? "X-Forwarded-For" : "proxy_protocol";
  return {
    listen: mode === "proxy-protocol" ? " proxy_protocol" : "",
    conf: `set_real_ip_from 127.0.0.1;\n    real_ip_header ${header};\n    real_ip_recursive on;\n    `,
  };
}

/**
 * The nginx reference configuration, equivalent to the proxy's defaults: same
 * upstreams with `keepalive 512`, HTTP/1.1 upstream keep-alive, the forwarded
 * headers and request id, the five security headers, gzip level 5 over 1 KiB,
 * no rate limit, access log off, static files from `web/`; with `tls`, the
 * same on an HTTPS port speaking HTTP/2 and HTTP/1.1.
 */
export function nginxConf(
  dir: string,
  port: number,
  ups: number[],
  tls?: NginxTls,
  mode: RealIpMode = "off",
): string {
  const web = join(root, "web");
  const real = realIp(mode);
  return `worker_processes 1;
user root root;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 8192; }
http {
  include /etc/nginx/mime.types;
  access_log off;
  server_tokens off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  keepalive_requests 1000000;
  upstream app {
    ${ups.map((p) => `server 127.0.0.1:${p};`).join("\n    ")}
    keepalive 512;
    keepalive_requests 1000000;
  }
  gzip on;
  gzip_comp_level 5;
  gzip_min_length 1024;
  gzip_proxied any;
  gzip_vary on;
  gzip_types application/json application/problem+json text/css application/javascript text/javascript image/svg+xml;
  server {
    listen 127.0.0.1:${port} reuseport backlog=4096${real.listen};
    ${real.conf}${serverBody(web)}  }
${tls ? tlsServer(tls, web) : ""}}
`;
}

/** The TLS server: HTTP/2 and HTTP/1.1 (ALPN) on one port, the same locations plus HSTS, as the proxy. */
function tlsServer(tls: NginxTls, web: string): string {
  return `  server {
    listen 127.0.0.1:${tls.port} ssl http2 reuseport backlog=4096;
    ssl_certificate ${tls.cert};
    ssl_certificate_key ${tls.key};
    add_header Strict-Transport-Security "max-age=31536000; includeSubDomains" always;
${serverBody(web)}  }
`;
}

/** Headers and locations shared by the plain and the TLS server. */
function serverBody(web: string): string {
  return `    add_header X-Content-Type-Options nosniff always;
    add_header X-Frame-Options DENY always;
    add_header Referrer-Policy strict-origin-when-cross-origin always;
    add_header Content-Security-Policy "default-src 'self'" always;
    add_header Permissions-Policy "camera=(), microphone=(), geolocation=()" always;
    add_header X-Request-Id $request_id always;
    client_max_body_size 10m;
    location /api/ {
      proxy_pass http://app;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      proxy_set_header Host $host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Real-IP $remote_addr;
      proxy_set_header X-Forwarded-Proto $scheme;
      proxy_set_header X-Forwarded-Host $host;
      proxy_set_header X-Request-Id $request_id;
      proxy_hide_header Server;
    }
    location / {
      root ${web};
      etag on;
      open_file_cache max=1000 inactive=60s;
    }
`;
}

/**
 * HAProxy in TCP mode in front of `targetPort`, writing a PROXY v2 header at
 * the start of every connection, as a cloud TCP balancer would.
 */
export function haproxyConf(dir: string, port: number, targetPort: number): string {
  return `global
  nbthread 1
  maxconn 4000
  pidfile ${dir}/haproxy-${port}.pid
defaults
  mode tcp
  timeout connect 5s
  timeout client 60s
  timeout server 60s
frontend in
  bind 127.0.0.1:${port}
  default_backend out
backend out
  server target 127.0.0.1:${targetPort} send-proxy-v2
`;
}

/** HAProxy on core 0 (the client side, with wrk) sending PROXY v2 to `port`; returns its own port. */
export function balancerInFront(tmp: string, port: number): number {
  const front = freePort();
  const conf = join(tmp, `haproxy-${front}.cfg`);
  writeFileSync(conf, haproxyConf(tmp, front, port));
  spawn(["taskset", "-c", "0", "haproxy", "-db", "-f", conf]);
  return front;
}

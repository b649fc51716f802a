#!/bin/sh
# certbot sidecar (profile `acme`, not exercised on the test machine: no ACME
# server is reachable there). Obtains the certificate for ACME_DOMAIN on the
# first start with CERTBOT_ARGS (default: a DNS-01 plugin must be chosen, e.g.
# the certbot/dns-cloudflare image with
# "--dns-cloudflare --dns-cloudflare-credentials /run/secrets/cloudflare.ini":
# the proxy owns ports 80/443, so HTTP-01 standalone cannot bind them), then
# every 12 h renews when due, copies the files to /certs/tls.crt and tls.key
# (owned by the proxy's uid 1000, key mode 0400) and sends the proxy SIGHUP,
# which reloads the certificate without dropping connections.
set -eu
: "${ACME_DOMAIN:?set ACME_DOMAIN}" "${ACME_EMAIL:?set ACME_EMAIL}" "${CERTBOT_ARGS:?set CERTBOT_ARGS (a DNS-01 plugin)}"
install_cert() {
  live=/etc/letsencrypt/live/$ACME_DOMAIN
  cp "$live/fullchain.pem" /certs/tls.crt.new && cp "$live/privkey.pem" /certs/tls.key.new
  chown 1000:1000 /certs/tls.crt.new /certs/tls.key.new && chmod 0400 /certs/tls.key.new
  mv /certs/tls.crt.new /certs/tls.crt && mv /certs/tls.key.new /certs/tls.key
  # SIGHUP to this project's proxy containers through the mounted Docker socket.
  python3 - "$COMPOSE_PROJECT" <<'PY'
import http.client, json, socket, sys, urllib.parse
class Unix(http.client.HTTPConnection):
    def connect(self):
        self.sock = socket.socket(socket.AF_UNIX)
        self.sock.connect("/var/run/docker.sock")
def call(method, path):
    c = Unix("localhost"); c.request(method, path); r = c.getresponse(); return r.status, r.read()
labels = ["com.docker.compose.service=proxy", f"com.docker.compose.project={sys.argv[1]}"]
_, body = call("GET", "/containers/json?filters=" + urllib.parse.quote(json.dumps({"label": labels})))
for c in json.loads(body):
    print("SIGHUP", c["Id"][:12], call("POST", f"/containers/{c['Id']}/kill?signal=HUP")[0])
PY
}
if [ ! -d "/etc/letsencrypt/live/$ACME_DOMAIN" ]; then
  # shellcheck disable=SC2086
  certbot certonly --non-interactive --agree-tos --email "$ACME_EMAIL" $CERTBOT_ARGS -d "$ACME_DOMAIN"
  install_cert
fi
while :; do
  sleep 43200
  # shellcheck disable=SC2086
  if certbot renew --quiet $CERTBOT_ARGS; then install_cert; fi
done

# The local stand-in for oven/bun:1.4.5-slim on machines that cannot pull from
# a registry: a Debian bookworm minbase (mmdebstrap, imported as
# local/debian:bookworm) plus the Bun binary from the npm package
# @oven/bun-linux-x64 (fetched with `npm pack`, integrity checked by npm).
# Same layout as the official image: /usr/local/bin/bun, user bun (1000:1000).
# This machine reaches registries through a TLS-inspecting egress proxy: the
# host's extra CA certificates (extra-ca/*.crt in the build context) join the
# trust store of this local base only, never of the production image.
FROM local/debian:bookworm
ARG BUN_TGZ=oven-bun-linux-x64-1.4.5.tgz
COPY ${BUN_TGZ} /tmp/bun.tgz
COPY extra-ca/ /usr/local/share/ca-certificates/
ENV NODE_EXTRA_CA_CERTS=/etc/ssl/certs/ca-certificates.crt
RUN update-ca-certificates \
 && tar -xzf /tmp/bun.tgz -C /tmp package/bin/bun \
 && install -m 0755 /tmp/package/bin/bun /usr/local/bin/bun \
 && ln -s bun /usr/local/bin/bunx \
 && rm -rf /tmp/bun.tgz /tmp/package \
 && groupadd -g 1000 bun && useradd -u 1000 -g bun -m -s /bin/sh bun \
 && bun --version

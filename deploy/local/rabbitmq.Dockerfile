# Local stand-in for the official rabbitmq image, from Debian's rabbitmq-server:
# reads /etc/rabbitmq/conf.d/*.conf (default user and password come from a
# mounted secret there), keeps its node database in /var/lib/rabbitmq.
FROM local/debian:bookworm
RUN apt-get update \
 && apt-get install -y --no-install-recommends rabbitmq-server \
 && rm -rf /var/lib/apt/lists/* \
 && mkdir -p /etc/rabbitmq/conf.d /var/lib/rabbitmq /var/log/rabbitmq \
 && chown -R rabbitmq:rabbitmq /var/lib/rabbitmq /var/log/rabbitmq \
 && printf 'loopback_users = none\nlisteners.tcp.default = 5672\nlog.console = true\nlog.file = false\n' > /etc/rabbitmq/conf.d/00-local.conf
ENV RABBITMQ_CONFIG_FILES=/etc/rabbitmq/conf.d
USER rabbitmq
EXPOSE 5672
CMD ["/usr/lib/rabbitmq/bin/rabbitmq-server"]

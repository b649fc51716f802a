import { loadConfigOrExit } from "../platform/config.ts";
import { handleShutdown } from "../platform/lifecycle.ts";
import { closeDeps, createDeps } from "../server/bootstrap.ts";
import { cacheInvalidationConsumer } from "./consumers/cache.ts";
import { emailConsumer, logMailer } from "./consumers/email.ts";
import { searchIndexConsumer } from "./consumers/search.ts";
import { parseSmtpUrl, smtpMailer } from "./consumers/smtp.ts";
import { webhookConsumer } from "./consumers/webhooks.ts";
import { createInProcessTransport } from "./in-process.ts";
import { createRabbitTransport } from "./rabbitmq.ts";
import { startRelay } from "./relay.ts";
import type { EventTransport } from "./transport.ts";

/**
 * The workers process: the outbox relay plus the consumers (cache
 * invalidation, email, webhooks). RabbitMQ when AMQP_URL is set, otherwise the
 * in-process transport with the same retry and dead-letter rules.
 */
const config = loadConfigOrExit();
const deps = createDeps(config, "workers");
const { logger, db } = deps;
const mailer = config.SMTP_URL
  ? smtpMailer(parseSmtpUrl(config.SMTP_URL))
  : logMailer(logger.child({ component: "email" }));

let transport: EventTransport;
if (config.AMQP_URL) {
  transport = await createRabbitTransport({ url: config.AMQP_URL, sql: db.primary, logger });
} else {
  transport = createInProcessTransport(db.primary, logger, {
    maxAttempts: 4,
    backoffMs: (n) => 500 * 2 ** (n - 1),
  });
}
for (const consumer of [
  cacheInvalidationConsumer(deps),
  emailConsumer(db.primary, mailer),
  webhookConsumer(db.primary, logger, { allowPrivate: config.WEBHOOKS_ALLOW_PRIVATE }),
  searchIndexConsumer(deps),
]) {
  await transport.subscribe(consumer);
}
const relay = startRelay(db.primary, transport, logger);
logger.info("workers running", { transport: transport.kind });

handleShutdown(
  async () => {
    await relay.stop();
    await transport.close();
    await closeDeps(deps);
  },
  logger,
  config.SHUTDOWN_TIMEOUT_MS,
);

import { loadConfigOrExit } from "../platform/config.ts";
import { handleShutdown } from "../platform/lifecycle.ts";
import { loadOrExit } from "../platform/settings.ts";
import { startTracing, stopTracing, tracingSettings } from "../platform/tracing.ts";
import { closeDeps, createDeps } from "../server/bootstrap.ts";
import { eventsHealthSettings } from "../server/ops/settings.ts";
import { loadRecommendSettings } from "../server/recommend/settings.ts";
import { cacheInvalidationConsumer } from "./consumers/cache.ts";
import { emailConsumer, logMailer } from "./consumers/email.ts";
import { recommendConsumer } from "./consumers/recommend.ts";
import { searchIndexConsumer } from "./consumers/search.ts";
import { parseSmtpUrl, smtpMailer } from "./consumers/smtp.ts";
import { webhookConsumer } from "./consumers/webhooks.ts";
import { startWorkers } from "./run.ts";
import { workerSettings } from "./settings.ts";

/**
 * The workers process: the outbox relay plus the consumers (cache
 * invalidation, email, webhooks, search indexing, recommendations). RabbitMQ when AMQP_URL is
 * set, otherwise the in-process transport with the same retry and
 * dead-letter rules. Health, liveness and metrics on WORKERS_HEALTH_PORT.
 */
const config = loadConfigOrExit();
const settings = loadOrExit(() => workerSettings.load());
const limits = loadOrExit(() => eventsHealthSettings.load());
const recommend = loadOrExit(() => loadRecommendSettings(process.env));
// Before the deps: the database client installs statement spans only when tracing is on.
await startTracing(
  "workers",
  loadOrExit(() => tracingSettings.load()),
);
const deps = createDeps(config, "workers");
const { logger, db } = deps;
const mailer = config.SMTP_URL
  ? smtpMailer(parseSmtpUrl(config.SMTP_URL))
  : logMailer(logger.child({ component: "email" }));

const workers = await startWorkers({
  sql: db.primary,
  logger,
  amqpUrl: config.AMQP_URL,
  consumers: [
    cacheInvalidationConsumer(deps),
    emailConsumer(db.primary, mailer),
    webhookConsumer(db.primary, logger, { allowPrivate: config.WEBHOOKS_ALLOW_PRIVATE }),
    searchIndexConsumer(deps),
    recommendConsumer(deps, recommend),
  ],
  settings,
  limits,
  host: config.APP_HOST,
  policy: config.AMQP_URL ? undefined : { maxAttempts: 4, backoffMs: (n) => 500 * 2 ** (n - 1) },
  // A wedged relay cannot heal itself: exit so the supervisor (or orchestrator) starts a fresh process.
  onWedged: () => setTimeout(() => process.exit(70), 100),
  registry: deps.metrics,
});
logger.info("workers running", { transport: workers.transport.kind, health_port: workers.monitor.port });

handleShutdown(
  async () => {
    await workers.stop();
    await closeDeps(deps);
    await stopTracing();
  },
  logger,
  config.SHUTDOWN_TIMEOUT_MS,
);

import type { Sql } from "../../db/client.ts";
import type { Logger } from "../../platform/logger.ts";
import type { VersionBus } from "./memory-cache.ts";

/** NOTIFY payloads must stay under 8000 bytes; names are sent in chunks below that. */
const MAX_PAYLOAD = 7000;

interface Message {
  n: string[];
  v: string;
}

function isMessage(v: unknown): v is Message {
  const m = v as Partial<Message> | null;
  return (
    typeof m === "object" &&
    m !== null &&
    Array.isArray(m.n) &&
    m.n.every((x) => typeof x === "string") &&
    typeof m.v === "string"
  );
}

/**
 * Generation raises carried by Postgres LISTEN/NOTIFY, for instances that
 * share a database but no Redis. postgres.js keeps one dedicated listening
 * connection and re-listens after a reconnect; each (re)listen is reported as
 * a reset, because notifications sent while disconnected are lost.
 */
export class PgVersionBus implements VersionBus {
  private unlisten: (() => Promise<void>) | null = null;

  constructor(
    private readonly sql: Sql,
    private readonly channel = "catalog_cache",
    private readonly logger?: Logger,
  ) {}

  async subscribe(onRaise: (names: string[], version: string) => void, onReset: () => void): Promise<void> {
    const sub = await this.sql.listen(
      this.channel,
      (payload) => {
        try {
          const m: unknown = JSON.parse(payload);
          if (isMessage(m)) onRaise(m.n, m.v);
        } catch {
          this.logger?.warn("ignored malformed cache notification", { channel: this.channel });
        }
      },
      onReset,
    );
    this.unlisten = () => sub.unlisten();
  }

  async publish(names: string[], version: string): Promise<void> {
    let chunk: string[] = [];
    let size = 0;
    const flush = async () => {
      if (!chunk.length) return;
      const payload = JSON.stringify({ n: chunk, v: version } satisfies Message);
      await this.sql`select pg_notify(${this.channel}, ${payload})`;
      chunk = [];
      size = 0;
    };
    for (const name of names) {
      if (size + name.length + 4 > MAX_PAYLOAD) await flush();
      chunk.push(name);
      size += name.length + 4;
    }
    await flush();
  }

  async close(): Promise<void> {
    await this.unlisten?.().catch(() => {});
    this.unlisten = null;
  }
}

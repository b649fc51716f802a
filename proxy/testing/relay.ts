import type { Socket, TCPSocketListener } from "bun";

/**
 * A TCP relay for fault injection: listens on an ephemeral port and pipes
 * every connection to `target`. `cut()` drops every relayed connection and
 * refuses new ones (accepted, then closed at once) until `restore()`, so a
 * shared service (Redis) can be made unreachable for one client without being
 * stopped for everyone else.
 */
export interface Relay {
  port: number;
  /** connections relayed so far */
  accepted: number;
  cut(): void;
  restore(): void;
  close(): void;
}

interface Pair {
  client: Socket<Pair>;
  server: Socket<Pair> | null;
  /** client bytes that arrived before the server socket was open */
  early: Buffer[];
  closed: boolean;
}

/** Starts a relay to `host:port`. */
export function startRelay(host: string, port: number): Relay {
  const pairs = new Set<Pair>();
  let refusing = false;
  const closePair = (pair: Pair) => {
    if (pair.closed) return;
    pair.closed = true;
    pairs.delete(pair);
    pair.client.end();
    pair.server?.end();
  };
  const listener: TCPSocketListener<Pair> = Bun.listen<Pair>({
    hostname: "127.0.0.1",
    port: 0,
    socket: {
      open(client) {
        const pair: Pair = { client, server: null, early: [], closed: false };
        client.data = pair;
        if (refusing) {
          pair.closed = true;
          client.end();
          return;
        }
        relay.accepted++;
        pairs.add(pair);
        Bun.connect<Pair>({
          hostname: host,
          port,
          data: pair,
          socket: {
            open(server) {
              if (pair.closed) {
                server.end();
                return;
              }
              pair.server = server;
              for (const b of pair.early) server.write(b);
              pair.early = [];
            },
            data(_server, d) {
              if (!pair.closed) pair.client.write(d);
            },
            close: () => closePair(pair),
            error: () => closePair(pair),
          },
        }).catch(() => closePair(pair));
      },
      data(client, d) {
        const pair = client.data;
        if (pair.closed) return;
        if (pair.server) pair.server.write(d);
        else pair.early.push(Buffer.from(d));
      },
      close(client) {
        closePair(client.data);
      },
      error(client) {
        closePair(client.data);
      },
    },
  });
  const relay: Relay = {
    port: listener.port,
    accepted: 0,
    cut() {
      refusing = true;
      for (const pair of [...pairs]) closePair(pair);
    },
    restore() {
      refusing = false;
    },
    close() {
      refusing = true;
      for (const pair of [...pairs]) closePair(pair);
      listener.stop(true);
    },
  };
  return relay;
}

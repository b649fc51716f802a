import { createServer, type Server } from "node:net";

/** A local SMTP server for tests: what it received and how to stop it. */
export interface SmtpPeer {
  port: number;
  messages: { to: string; data: string }[];
  close(): void;
}

/** A minimal SMTP peer written for these tests: accepts every message and records its recipient and text. */
export async function startSmtpPeer(): Promise<SmtpPeer> {
  const messages: { to: string; data: string }[] = [];
  const server: Server = createServer((sock) => {
    let buf = "";
    let to = "";
    let inData = false;
    sock.write("220 test ESMTP\r\n");
    sock.on("data", (chunk) => {
      buf += chunk.toString("utf8");
      for (;;) {
        if (inData) {
          const end = buf.indexOf("\r\n.\r\n");
          if (end === -1) return;
          messages.push({ to, data: buf.slice(0, end) });
          buf = buf.slice(end + 5);
          inData = false;
          sock.write("250 queued\r\n");
          continue;
        }
        const nl = buf.indexOf("\r\n");
        if (nl === -1) return;
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 2);
        const verb = line.split(/[ :]/)[0]!.toUpperCase();
        if (verb === "EHLO") sock.write("250 test\r\n");
        else if (verb === "RCPT") {
          to = /<([^>]*)>/.exec(line)?.[1] ?? "";
          sock.write("250 ok\r\n");
        } else if (verb === "DATA") {
          inData = true;
          sock.write("354 go ahead\r\n");
        } else if (verb === "QUIT") {
          sock.write("221 bye\r\n");
          sock.end();
        } else sock.write("250 ok\r\n");
      }
    });
    sock.on("error", () => {});
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", () => r()));
  const address = server.address();
  return {
    port: typeof address === "object" && address ? address.port : 0,
    messages,
    close: () => server.close(),
  };
}

import { afterEach, expect, test } from "bun:test";
import { createServer, type Server } from "node:net";
import { dotStuff, parseSmtpUrl, smtpMailer } from "./smtp.ts";

// A minimal SMTP peer written for this test: it records the session and
// answers like a relay, optionally refusing one command.
interface Session {
  commands: string[];
  data: string;
}

let server: Server | null = null;
afterEach(() => {
  server?.close();
  server = null;
});

async function startPeer(refuse?: string): Promise<{ port: number; sessions: Session[] }> {
  const sessions: Session[] = [];
  server = createServer((sock) => {
    const s: Session = { commands: [], data: "" };
    sessions.push(s);
    let inData = false;
    let buf = "";
    sock.write("220 test ESMTP\r\n");
    sock.on("data", (chunk) => {
      buf += chunk.toString("utf8");
      if (inData) {
        const end = buf.indexOf("\r\n.\r\n");
        if (end === -1) return;
        s.data = buf.slice(0, end);
        buf = buf.slice(end + 5);
        inData = false;
        sock.write("250 queued\r\n");
      }
      for (let nl = buf.indexOf("\r\n"); nl !== -1 && !inData; nl = buf.indexOf("\r\n")) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 2);
        s.commands.push(line);
        const verb = line.split(/[ :]/)[0]!.toUpperCase();
        if (refuse && line.toUpperCase().startsWith(refuse)) sock.write("550 no such user\r\n");
        else if (verb === "EHLO") sock.write("250-test\r\n250 AUTH PLAIN\r\n");
        else if (verb === "AUTH") sock.write("235 ok\r\n");
        else if (verb === "DATA") {
          inData = true;
          sock.write("354 go ahead\r\n");
        } else if (verb === "QUIT") {
          sock.write("221 bye\r\n");
          sock.end();
        } else sock.write("250 ok\r\n");
      }
    });
  });
  await new Promise<void>((r) => server!.listen(0, "127.0.0.1", () => r()));
  const address = server.address();
  return { port: typeof address === "object" && address ? address.port : 0, sessions };
}

test("parses SMTP_URL", () => {
  expect(parseSmtpUrl("smtps://a%40b:p%3Ass@mail.example:2465?from=shop@example.com")).toEqual({
    host: "mail.example",
    port: 2465,
    secure: true,
    user: "a@b",
    password: "p:ss",
    from: "shop@example.com",
  });
  expect(parseSmtpUrl("smtp://localhost").port).toBe(25);
});

test("sends a message with auth, headers and dot-stuffed body", async () => {
  const peer = await startPeer();
  const mailer = smtpMailer({ ...parseSmtpUrl(`smtp://u:pw@127.0.0.1:${peer.port}?from=shop@example.com`) });
  await mailer.send({
    to: "buyer@example.com",
    subject: "Order 1 received",
    text: "Thanks!\n.hidden line\nBye",
  });
  const [s] = peer.sessions;
  expect(s!.commands[0]).toStartWith("EHLO ");
  expect(s!.commands[1]).toBe(`AUTH PLAIN ${Buffer.from("\0u\0pw").toString("base64")}`);
  expect(s!.commands.slice(2, 5)).toEqual([
    "MAIL FROM:<shop@example.com>",
    "RCPT TO:<buyer@example.com>",
    "DATA",
  ]);
  expect(s!.data).toContain("Subject: Order 1 received\r\n");
  expect(s!.data).toContain("To: <buyer@example.com>\r\n");
  expect(s!.data.endsWith("Thanks!\r\n..hidden line\r\nBye")).toBe(true);
});

test("a refused recipient throws (so the consumer retries) and header injection is refused", async () => {
  const peer = await startPeer("RCPT");
  const mailer = smtpMailer(parseSmtpUrl(`smtp://127.0.0.1:${peer.port}`));
  await expect(mailer.send({ to: "nobody@example.com", subject: "x", text: "y" })).rejects.toThrow(
    "RCPT TO refused: 550",
  );
  await expect(
    mailer.send({ to: "a@example.com\r\nBcc: evil@example.com", subject: "x", text: "y" }),
  ).rejects.toThrow("line breaks");
});

test("dot-stuffing normalises line ends", () => {
  expect(dotStuff(".a\nb\r\n.c")).toBe("..a\r\nb\r\n..c");
});

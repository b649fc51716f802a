import { connect as netConnect, type Socket } from "node:net";
import { connect as tlsConnect } from "node:tls";
import type { Email, Mailer } from "./email.ts";

/** Where and as whom to send: parsed from `smtp://user:pass@host:port?from=shop@example.com`. */
export interface SmtpOptions {
  host: string;
  port: number;
  secure: boolean;
  user?: string;
  password?: string;
  from: string;
  /** Name sent in EHLO. */
  clientName?: string;
  timeoutMs?: number;
}

/** Parses SMTP_URL (`smtp://` plain, `smtps://` implicit TLS). */
export function parseSmtpUrl(url: string): SmtpOptions {
  const u = new URL(url);
  const secure = u.protocol === "smtps:";
  return {
    host: u.hostname,
    port: Number(u.port || (secure ? 465 : 25)),
    secure,
    user: u.username ? decodeURIComponent(u.username) : undefined,
    password: u.password ? decodeURIComponent(u.password) : undefined,
    from: u.searchParams.get("from") ?? "shop@localhost",
  };
}

/** A reply: the status code and its text lines. */
interface Reply {
  code: number;
  lines: string[];
}

/** Reads SMTP replies (possibly multi-line, "250-…" then "250 …") from a socket. */
class ReplyReader {
  private buffer = "";
  private waiting: ((r: Reply) => void) | null = null;
  private failed: ((e: Error) => void) | null = null;
  private readonly ready: Reply[] = [];
  private lines: string[] = [];

  constructor(socket: Socket) {
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => this.push(chunk));
    socket.on("error", (err) => this.fail(err));
    socket.on("close", () => this.fail(new Error("SMTP connection closed")));
  }

  private push(chunk: string): void {
    this.buffer += chunk;
    for (let nl = this.buffer.indexOf("\r\n"); nl !== -1; nl = this.buffer.indexOf("\r\n")) {
      const line = this.buffer.slice(0, nl);
      this.buffer = this.buffer.slice(nl + 2);
      this.lines.push(line.slice(4));
      if (line[3] !== "-") {
        const reply = { code: Number(line.slice(0, 3)), lines: this.lines };
        this.lines = [];
        if (this.waiting) {
          const w = this.waiting;
          this.waiting = null;
          this.failed = null;
          w(reply);
        } else this.ready.push(reply);
      }
    }
  }

  private fail(err: Error): void {
    if (this.failed) {
      const f = this.failed;
      this.waiting = null;
      this.failed = null;
      f(err);
    }
  }

  next(): Promise<Reply> {
    const r = this.ready.shift();
    if (r) return Promise.resolve(r);
    return new Promise((resolve, reject) => {
      this.waiting = resolve;
      this.failed = reject;
    });
  }
}

/**
 * Every line break (CRLF, or a lone CR or LF) becomes CRLF first, then lines
 * starting with "." get another "." (RFC 5321 §4.5.2). A lone CR left alone
 * would let text such as "\r.\r\n" end the DATA section early (servers
 * that take a bare CR as a line end), so nothing but CRLF separates lines.
 */
export function dotStuff(text: string): string {
  return text
    .replace(/\r\n|\r|\n/g, "\r\n")
    .split("\r\n")
    .map((l) => (l.startsWith(".") ? `.${l}` : l))
    .join("\r\n");
}

/** RFC 2047 encoded-word for a header value that is not plain ASCII. */
function encodeHeader(value: string): string {
  return /^[\x20-\x7e]*$/.test(value) ? value : `=?UTF-8?B?${Buffer.from(value).toString("base64")}?=`;
}

/** Rejects header injection: addresses and subjects must be one line. */
function oneLine(value: string, what: string): string {
  if (/[\r\n]/.test(value)) throw new Error(`${what} must not contain line breaks`);
  return value;
}

/**
 * Sends each email over its own SMTP session (EHLO, optional AUTH PLAIN,
 * MAIL/RCPT/DATA, QUIT). `smtps://` uses implicit TLS; plain `smtp://` is for
 * a local relay. Any non-2xx/3xx reply throws, so the consumer retries.
 */
export function smtpMailer(opts: SmtpOptions): Mailer {
  return {
    async send(email: Email) {
      const to = oneLine(email.to, "recipient");
      const subject = oneLine(email.subject, "subject");
      const socket: Socket = opts.secure
        ? tlsConnect({ host: opts.host, port: opts.port, servername: opts.host })
        : netConnect({ host: opts.host, port: opts.port });
      socket.setTimeout(opts.timeoutMs ?? 10_000, () => socket.destroy(new Error("SMTP timeout")));
      const reader = new ReplyReader(socket);
      const expect = async (ok: (code: number) => boolean, step: string) => {
        const r = await reader.next();
        if (!ok(r.code)) throw new Error(`SMTP ${step} refused: ${r.code} ${r.lines.join(" ")}`);
        return r;
      };
      const send = (line: string) => socket.write(`${line}\r\n`);
      const is2xx = (c: number) => c >= 200 && c < 300;
      try {
        await expect((c) => c === 220, "greeting");
        send(`EHLO ${opts.clientName ?? "commerce-workers"}`);
        await expect(is2xx, "EHLO");
        if (opts.user) {
          const token = Buffer.from(`\0${opts.user}\0${opts.password ?? ""}`).toString("base64");
          send(`AUTH PLAIN ${token}`);
          await expect((c) => c === 235, "AUTH");
        }
        send(`MAIL FROM:<${oneLine(opts.from, "sender")}>`);
        await expect(is2xx, "MAIL FROM");
        send(`RCPT TO:<${to}>`);
        await expect(is2xx, "RCPT TO");
        send("DATA");
        await expect((c) => c === 354, "DATA");
        const headers = [
          `From: <${opts.from}>`,
          `To: <${to}>`,
          `Subject: ${encodeHeader(subject)}`,
          `Date: ${new Date().toUTCString()}`,
          // A resend of the same event (at-least-once delivery) carries the same Message-ID, so mail systems can drop it.
          `Message-ID: <${email.id ?? crypto.randomUUID()}@${opts.host}>`,
          "MIME-Version: 1.0",
          "Content-Type: text/plain; charset=utf-8",
          "Content-Transfer-Encoding: 8bit",
        ];
        socket.write(`${headers.join("\r\n")}\r\n\r\n${dotStuff(email.text)}\r\n.\r\n`);
        await expect(is2xx, "message");
        send("QUIT");
        await reader.next().catch(() => null);
      } finally {
        socket.end();
        socket.destroy();
      }
    },
  };
}

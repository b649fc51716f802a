/**
 * JSON access log lines, buffered and written at most every 100 ms so that
 * logging does not cost a write(2) per request.
 */
export class AccessLog {
  private buf: string[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  /**
   * When several processes share stdout (`PROXY_WORKERS`): write at most this
   * many bytes at once, whole lines only. A pipe write up to PIPE_BUF (4096 on
   * Linux) is atomic, so lines of different workers never interleave. 0 = one
   * write per flush.
   */
  maxWriteBytes = 0;

  constructor(
    public enabled: boolean,
    private readonly write: (text: string) => void = (t) => process.stdout.write(t),
  ) {}

  setEnabled(on: boolean): void {
    this.enabled = on;
  }

  /** Queues one line. */
  log(entry: {
    method: string;
    path: string;
    status: number;
    ms: number;
    bytes: number;
    ip: string;
    upstream: string;
    requestId: string;
  }): void {
    if (!this.enabled) return;
    this.buf.push(JSON.stringify({ time: new Date().toISOString(), level: "info", msg: "access", ...entry }));
    if (this.buf.length >= 256) this.flush();
    else if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), 100);
      this.timer.unref();
    }
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!this.buf.length) return;
    const lines = this.buf;
    this.buf = [];
    if (this.maxWriteBytes <= 0) {
      this.write(`${lines.join("\n")}\n`);
      return;
    }
    let chunk = "";
    for (const line of lines) {
      if (chunk && Buffer.byteLength(chunk) + Buffer.byteLength(line) + 1 > this.maxWriteBytes) {
        this.write(chunk);
        chunk = "";
      }
      chunk += `${line}\n`;
    }
    if (chunk) this.write(chunk);
  }
}

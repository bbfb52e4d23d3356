/** Shared by the benchmarks: timing and percentiles. */

export function stats(ms: number[]) {
  const s = [...ms].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))];
  return { median: q(0.5), p99: q(0.99), max: s[s.length - 1] };
}

/** Runs `fn` a few times to warm caches, then `runs` timed times (milliseconds each). */
export async function time(fn: (i: number) => Promise<unknown>, runs = 30, warmUp = 3): Promise<number[]> {
  for (let i = 0; i < warmUp; i++) await fn(i);
  const out: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t = performance.now();
    await fn(i);
    out.push(performance.now() - t);
  }
  return out;
}

/**
 * A bench's own world: a temporary folder for its database, uploads and outbox (set in
 * process.env before the app's modules are imported), and a local SMTP server on 127.0.0.1
 * that counts messages and bytes without parsing them (SMTP_URL points at it).
 */
export async function benchWorld(name: string, appUrl: string) {
  const fs = await import("node:fs");
  const os = await import("node:os");
  const path = await import("node:path");
  const { SMTPServer } = await import("smtp-server");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `rt-bench-${name}-`));
  Object.assign(process.env, {
    DATABASE_PATH: path.join(dir, "bench.db"),
    UPLOADS_DIR: path.join(dir, "uploads"),
    OUTBOX_DIR: path.join(dir, "outbox"),
    APP_URL: appUrl,
    NODE_ENV: "test",
  });
  const smtp = { received: 0, bytes: 0 };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS", "AUTH"],
    logger: false,
    onData(stream, _session, callback) {
      stream.on("data", (c: Buffer) => (smtp.bytes += c.length));
      stream.on("end", () => {
        smtp.received++;
        callback();
      });
    },
  });
  server.on("error", () => {});
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.server.address();
  process.env.SMTP_URL = `smtp://127.0.0.1:${typeof address === "object" && address ? address.port : 0}?tls=off`;
  return {
    dir,
    smtp,
    async close() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

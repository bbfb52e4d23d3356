import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));

/** Starts the real server process with a bad setting and returns what it printed. */
function startWith(env: Record<string, string>) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rt-config-"));
  const result = spawnSync(process.execPath, ["--import", "tsx", "app/server.ts"], {
    cwd: root,
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      RT_BUILD_DIR: process.env.RT_BUILD_DIR ?? "",
      DATABASE_PATH: path.join(dir, "db.sqlite"),
      OUTBOX_DIR: path.join(dir, "outbox"),
      UPLOADS_DIR: path.join(dir, "uploads"),
      PORT: "0",
      NODE_ENV: "production",
      ...env,
    },
    encoding: "utf8",
    timeout: 30_000,
  });
  fs.rmSync(dir, { recursive: true, force: true });
  return { status: result.status, out: `${result.stdout}${result.stderr}`.trim() };
}

describe("bad configuration stops start-up with one plain line", () => {
  it.each([
    [{ APP_URL: "localhost:3000" }, "APP_URL"],
    [{ SMTP_URL: "mail.example.org" }, "SMTP_URL"],
    [{ DATABASE_PATH: "/dev/null/roundtable/db.sqlite" }, "DATABASE_PATH"],
    [{ PORT: "99999" }, "PORT"],
  ])("%o", (env, name) => {
    const { status, out } = startWith(env);
    expect(status).toBe(1);
    expect(out.split("\n"), out).toHaveLength(1);
    expect(out).toMatch(new RegExp(`^Configuration error: ${name}`));
    expect(out).not.toMatch(/at .*\.(ts|js):\d+/);
  });
});

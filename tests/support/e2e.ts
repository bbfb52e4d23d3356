/**
 * End-to-end harness: the built app served on 127.0.0.1 with its own database
 * and outbox, driven by playwright-core in Debian's Chromium, with an axe-core
 * check and a screenshot of every page a journey visits.
 */
import { spawn, type ChildProcess } from "node:child_process";
import { startPostcodes } from "./postcodes";
import { startTiles, type TileStandIn } from "./tiles";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { simpleParser } from "mailparser";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { TEST_PASSWORD } from "./fixtures";

const root = fileURLToPath(new URL("../..", import.meta.url));
export const ARTIFACTS = path.join(root, "tests/.artifacts");
const axeSource = fs.readFileSync(path.join(root, "node_modules/axe-core/axe.min.js"), "utf8");

export { TEST_PASSWORD };

export type App = { url: string; dir: string; outboxDir: string; dbPath: string; stop(): Promise<void>; logs(): string; tiles: TileStandIn | null };

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.listen(0, "127.0.0.1", () => {
      const address = srv.address();
      const port = typeof address === "object" && address ? address.port : 0;
      srv.close(() => resolve(port));
    });
    srv.on("error", reject);
  });
}

/** Starts the built server (npm test builds first) on a free loopback port with a fresh database. */
export async function startApp(extraEnv: Record<string, string> = {}): Promise<App> {
  const buildName = (process.env.RT_BUILD_DIR || "").replace(/[^a-zA-Z0-9-]+/g, "-").replace(/^-+|-+$/g, "");
  if (!fs.existsSync(path.join(root, buildName ? `.builds/${buildName}` : ".", "build/index.js"))) throw new Error("Run `npm run build` before the e2e tests");
  const port = await freePort();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "rt-e2e-"));
  // Postcode lookups go to a local postcodes.io stand-in, never to the internet.
  const postcodes = extraEnv.POSTCODES_API_URL ? null : await startPostcodes();
  // Map tiles too come from a local stand-in (a 1×1 PNG for every tile).
  const tiles = extraEnv.MAP_TILE_URL ? null : await startTiles();
  const url = `http://127.0.0.1:${port}`;
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    RT_BUILD_DIR: process.env.RT_BUILD_DIR ?? "",
    HOME: process.env.HOME,
    NODE_ENV: "production",
    HOST: "127.0.0.1",
    PORT: String(port),
    APP_URL: url,
    DATABASE_PATH: path.join(dir, "roundtable.db"),
    OUTBOX_DIR: path.join(dir, "outbox"),
    UPLOADS_DIR: path.join(dir, "uploads"),
    DEMO_PASSWORD: TEST_PASSWORD,
    SEED_DEMO: "auto",
    // Queued notice emails go out within a second, so journeys can wait for them.
    NOTIFY_INTERVAL_SECONDS: "1",
    ...(postcodes ? { POSTCODES_API_URL: postcodes.url, POSTCODES_ALLOW_PRIVATE: "on" } : {}),
    ...(tiles ? { MAP_TILE_URL: tiles.template } : {}),
    ...extraEnv,
  };
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "app/server.ts"], { cwd: root, env, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout?.on("data", (d: Buffer) => (output += d.toString()));
  child.stderr?.on("data", (d: Buffer) => (output += d.toString()));
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start in time:\n${output}`)), 60_000);
    const check = () => {
      if (output.includes("Roundtable is running")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on("data", check);
    child.on("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`server exited with ${code}:\n${output}`));
    });
  });
  return {
    url,
    dir,
    outboxDir: env.OUTBOX_DIR!,
    dbPath: env.DATABASE_PATH!,
    tiles,
    logs: () => output,
    stop: async () => {
      if (child.exitCode === null) {
        const exited = new Promise((r) => child.once("exit", r));
        child.kill("SIGTERM");
        await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
        if (child.exitCode === null) child.kill("SIGKILL");
      }
      await postcodes?.close();
      await tiles?.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
    headless: true,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--disable-dev-shm-usage",
    ],
  });
}

/** A browser context as a phone (375px) or a desktop; javaScriptEnabled false to prove progressive enhancement. */
export async function newContext(browser: Browser, opts: { phone?: boolean; javaScript?: boolean } = {}): Promise<BrowserContext> {
  return browser.newContext({
    viewport: opts.phone ? { width: 375, height: 740 } : { width: 1280, height: 900 },
    deviceScaleFactor: 1,
    isMobile: opts.phone ?? false,
    hasTouch: opts.phone ?? false,
    javaScriptEnabled: opts.javaScript ?? true,
    locale: "en-GB",
    timezoneId: "Europe/London",
  });
}

export type AxeViolation = { id: string; impact: string | null; help: string; nodes: Array<{ target: string[]; html: string }> };

/** Runs axe-core (WCAG 2.0/2.1/2.2 A and AA) on the page; returns the violations. */
export async function axe(page: Page): Promise<AxeViolation[]> {
  const hasAxe = await page.evaluate(() => "axe" in window);
  if (!hasAxe) await page.evaluate(axeSource);
  return page.evaluate(async () => {
    // @ts-expect-error axe is injected above
    const result = await window.axe.run(document, {
      runOnly: { type: "tag", values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"] },
      resultTypes: ["violations"],
    });
    return result.violations.map((v: AxeViolation) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.slice(0, 5).map((n) => ({ target: n.target, html: n.html.slice(0, 200) })),
    }));
  });
}

export function formatViolations(v: AxeViolation[]): string {
  return v.map((x) => `${x.id} (${x.impact}): ${x.help}\n${x.nodes.map((n) => `  ${n.target.join(" ")}: ${n.html}`).join("\n")}`).join("\n");
}

/** No sideways scrolling on a phone (WCAG 1.4.10 reflow). */
export async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}

export async function screenshot(page: Page, name: string): Promise<string> {
  const dir = path.join(ARTIFACTS, "screenshots");
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `${name.replace(/[^a-z0-9-_]+/gi, "-")}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

const pageErrors = new WeakMap<Page, string[]>();

/**
 * Records uncaught errors in the page's JavaScript (a failed hydration, a
 * server-only import that is empty in the browser bundle): `visit` fails on them.
 */
export function watchErrors(page: Page): string[] {
  let errors = pageErrors.get(page);
  if (!errors) {
    const list: string[] = [];
    page.on("pageerror", (e) => list.push(e.message));
    page.on("console", (m) => {
      if (m.type() === "error" && !/Failed to load resource/.test(m.text())) list.push(m.text().slice(0, 500));
    });
    pageErrors.set(page, list);
    errors = list;
  }
  return errors;
}

/**
 * Visits a page and checks it as every journey must: loads without a server
 * error or a script error, passes axe, gets a screenshot. Returns the axe
 * violations so tests assert on them.
 */
export async function visit(page: Page, url: string, name: string): Promise<AxeViolation[]> {
  const errors = watchErrors(page);
  errors.length = 0;
  const response = await page.goto(url, { waitUntil: "load" });
  if (response && response.status() >= 500) throw new Error(`${url} answered ${response.status()}`);
  // Let hydration finish so its errors (and the hydrated page) are what we check.
  await page.waitForLoadState("networkidle").catch(() => {});
  if (errors.length) throw new Error(`${url} had script errors:\n${errors.join("\n")}`);
  await screenshot(page, name);
  return axe(page);
}

export async function signIn(page: Page, app: App, email: string, password = TEST_PASSWORD): Promise<void> {
  await page.goto(`${app.url}/sign-in`);
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: /sign in/i }).click();
  await page.waitForURL((u) => !u.pathname.startsWith("/sign-in") || u.pathname.startsWith("/sign-in/two-step"));
  // With JavaScript the URL changes before the header re-renders: wait until the page shows the signed-in state.
  if (!new URL(page.url()).pathname.startsWith("/sign-in")) await page.getByRole("button", { name: "Sign out" }).first().waitFor();
}

export type OutboxMessage = { file: string; to: string; subject: string; text: string; html: string; headers: Map<string, unknown> };

/** Every message the app wrote to its outbox, oldest first, parsed with mailparser. */
export async function readOutbox(outboxDir: string): Promise<OutboxMessage[]> {
  if (!fs.existsSync(outboxDir)) return [];
  const files = fs.readdirSync(outboxDir).filter((f) => f.endsWith(".eml")).sort();
  const out: OutboxMessage[] = [];
  for (const f of files) {
    const parsed = await simpleParser(fs.readFileSync(path.join(outboxDir, f)));
    const to = Array.isArray(parsed.to) ? parsed.to.map((a) => a.text).join(", ") : (parsed.to?.text ?? "");
    out.push({ file: f, to, subject: parsed.subject ?? "", text: parsed.text ?? "", html: typeof parsed.html === "string" ? parsed.html : "", headers: parsed.headers });
  }
  return out;
}

/** Waits for a message to arrive for this address whose subject matches. */
export async function waitForEmail(outboxDir: string, to: string, subject: RegExp, timeoutMs = 10_000): Promise<OutboxMessage> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    const found = (await readOutbox(outboxDir)).reverse().find((m) => m.to.toLowerCase().includes(to.toLowerCase()) && subject.test(m.subject));
    if (found) return found;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`no email to ${to} matching ${subject}`);
}

/**
 * E2E sign-in as the demo admin, who must use two-step verification. Signs in through
 * the sign-in page, then either sets up two-step verification through the set-up page
 * (first time) or answers the second step, computing the code as an authenticator app
 * would. Safe to call several times against one app (codes are never reused).
 */
import SQLite from "better-sqlite3";
import type { Page } from "playwright-core";
import { totpCode, totpCounter } from "../../app/utils/totp.server";
import { signIn, type App } from "./e2e";

const PERIOD_MS = 30_000;

function readTotp(app: App, email: string): { secret: string | null; last: number | null } {
  const db = new SQLite(app.dbPath, { readonly: true, fileMustExist: true });
  try {
    const row = db.prepare("select totp_secret as secret, totp_last_counter as last from account where email = ?").get(email) as
      | { secret: string | null; last: number | null }
      | undefined;
    return row ?? { secret: null, last: null };
  } finally {
    db.close();
  }
}

/**
 * A code the server will accept: the server allows one step of drift either way and
 * refuses a step at or before the last one used, so pick the earliest unused step in
 * the window, waiting for the clock only when all of them are spent.
 */
async function freshCode(secret: string, last: number | null): Promise<string> {
  for (;;) {
    const now = Date.now();
    const current = totpCounter(now);
    const step = Math.max(current - 1, (last ?? -1) + 1);
    if (step <= current + 1) return totpCode(secret, step * PERIOD_MS);
    await new Promise((r) => setTimeout(r, (current + 1) * PERIOD_MS - now + 50));
  }
}

export async function enterCode(page: Page, app: App, email: string): Promise<void> {
  const { secret, last } = readTotp(app, email);
  if (!secret) throw new Error(`${email} has no two-step secret`);
  await page.getByRole("textbox", { name: /code/i }).fill(await freshCode(secret, last));
  await page.getByRole("button", { name: /continue|verify/i }).click();
}

/** Signs in as an admin (default admin@example.org) with two-step verification done; ends on /account or redirectTo. */
export async function signInAsAdmin(page: Page, app: App, email = "admin@example.org"): Promise<void> {
  await signIn(page, app, email);
  if (new URL(page.url()).pathname === "/sign-in/two-step") {
    await enterCode(page, app, email);
    await page.waitForURL((u) => u.pathname !== "/sign-in/two-step");
    return;
  }
  if (readTotp(app, email).secret) return;
  // First time: set up two-step verification as the admin would, reading the secret shown for manual entry.
  await page.goto(`${app.url}/account/two-step`);
  const secret = ((await page.getByTestId("totp-secret").textContent()) ?? "").replace(/\s+/g, "");
  await page.getByRole("textbox", { name: /code/i }).fill(totpCode(secret));
  await page.getByRole("button", { name: /turn on/i }).click();
  await page.getByRole("heading", { name: "Save your recovery codes" }).waitFor();
}

import { redirect } from "@remix-run/node";
import { env } from "./env.server";

/**
 * One-time messages after a redirect ("Your event was published"). The cookie
 * holds only display text (escaped when rendered) and is cleared by
 * app/server.ts on the next non-redirect response.
 */
export type Flash = { message: string; kind: "success" | "info" };

export function flashCookie(message: string, kind: Flash["kind"] = "success"): string {
  const value = encodeURIComponent(JSON.stringify({ m: message.slice(0, 300), k: kind }));
  return `rt_flash=${value}; Path=/; Max-Age=60; HttpOnly; SameSite=Lax`;
}

export function redirectWithFlash(url: string, message: string, init: { kind?: Flash["kind"]; headers?: HeadersInit } = {}) {
  const headers = new Headers(init.headers);
  headers.append("Set-Cookie", flashCookie(message, init.kind));
  return redirect(url, { headers });
}

export function readFlash(request: Request): Flash | null {
  const header = request.headers.get("Cookie") ?? "";
  const match = /(?:^|;\s*)rt_flash=([^;]+)/.exec(header);
  if (!match) return null;
  try {
    const parsed: unknown = JSON.parse(decodeURIComponent(match[1]));
    if (parsed && typeof parsed === "object" && "m" in parsed && typeof parsed.m === "string") {
      const kind = "k" in parsed && parsed.k === "info" ? "info" : "success";
      return { message: parsed.m, kind };
    }
  } catch {
    // A malformed cookie is ignored, never an error page.
  }
  return null;
}

/**
 * Only paths on our own site: never an open redirect. The target is resolved the way a browser
 * would (which drops TAB, CR and LF, so "/\t/evil.example" means "//evil.example") and kept only
 * when the origin is still ours; the answer is the URL's own serialisation, so it is always a
 * valid Location header (non-Latin-1 characters come back percent-encoded).
 */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = "/"): string {
  if (typeof to !== "string" || !to.startsWith("/")) return fallback;
  const base = new URL(env().APP_URL);
  let url: URL;
  try {
    url = new URL(to, base);
  } catch {
    return fallback;
  }
  if (url.origin !== base.origin) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}

/**
 * "We have sent a link to …": the address travels from the form to the page that confirms it in
 * a short-lived cookie for that page, never in the URL, so a crafted link (?sent=…) cannot put
 * words on our page, and the address stays out of history and logs.
 */
export function sentToCookie(path: string, email: string): string {
  return `rt_sent=${encodeURIComponent(email.slice(0, 320))}; Path=${path}; Max-Age=600; HttpOnly; SameSite=Lax`;
}

export function readSentTo(request: Request): string | null {
  const match = /(?:^|;\s*)rt_sent=([^;]+)/.exec(request.headers.get("Cookie") ?? "");
  if (!match) return null;
  try {
    return decodeURIComponent(match[1]);
  } catch {
    return null;
  }
}

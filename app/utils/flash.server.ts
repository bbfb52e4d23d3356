import { redirect } from "@remix-run/node";

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

/** Only same-site relative paths: never an open redirect. */
export function safeRedirect(to: FormDataEntryValue | string | null | undefined, fallback = "/"): string {
  if (typeof to !== "string" || !to.startsWith("/") || to.startsWith("//") || to.startsWith("/\\")) return fallback;
  return to;
}

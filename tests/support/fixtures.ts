/** Shared by integration and e2e tests. */
export const TEST_PASSWORD = "correct horse battery staple";
export const ORIGIN = "http://localhost:3000";

/** A same-origin form POST, as a browser would send it. */
export function formRequest(path: string, fields: Record<string, string | string[]>, init: { cookie?: string } = {}): Request {
  const body = new URLSearchParams();
  for (const [k, v] of Object.entries(fields)) for (const one of Array.isArray(v) ? v : [v]) body.append(k, one);
  const headers = new Headers({ "Content-Type": "application/x-www-form-urlencoded", Origin: ORIGIN, "Sec-Fetch-Site": "same-origin" });
  if (init.cookie) headers.set("Cookie", init.cookie);
  return new Request(`${ORIGIN}${path}`, { method: "POST", body, headers });
}

export function getRequest(path: string, init: { cookie?: string; headers?: Record<string, string> } = {}): Request {
  const headers = new Headers(init.headers);
  if (init.cookie) headers.set("Cookie", init.cookie);
  return new Request(`${ORIGIN}${path}`, { headers });
}

/** The "name=value" part of a Set-Cookie header, to send back as a Cookie header. */
export function cookieFrom(setCookie: string | null): string {
  if (!setCookie) throw new Error("no Set-Cookie header");
  return setCookie.split(";")[0];
}

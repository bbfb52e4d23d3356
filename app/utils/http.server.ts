/**
 * Same-origin check for every non-GET request (CSRF defence in depth beside
 * SameSite=Lax cookies). Browsers send Sec-Fetch-Site; older ones send Origin.
 * A request with neither comes from a non-browser client (a mail provider's
 * RFC 8058 one-click unsubscribe, curl) which carries no ambient cookies of ours.
 */
/** Set by app/server.ts on every request (any the client sent is dropped): one random id shared by the copies Remix makes of it. */
export const REQUEST_ID_HEADER = "x-roundtable-request";

export function isCrossSiteWrite(
  method: string,
  header: (name: string) => string | null,
  appOrigin: string,
  requestOrigin: string,
): boolean {
  if (["GET", "HEAD", "OPTIONS"].includes(method.toUpperCase())) return false;
  const site = header("Sec-Fetch-Site");
  if (site) return !(site === "same-origin" || site === "none");
  const origin = header("Origin");
  if (origin) return origin !== appOrigin && origin !== requestOrigin;
  return false;
}

/** A strong ETag answer: 304 when the client already has this version. */
export function notModified(request: { headers: { get(name: string): string | null } }, etag: string, lastModified?: Date): boolean {
  const inm = request.headers.get("If-None-Match");
  if (inm) return inm.split(",").some((t) => t.trim() === etag || t.trim() === `W/${etag}`);
  const ims = request.headers.get("If-Modified-Since");
  if (ims && lastModified) return Math.floor(lastModified.getTime() / 1000) <= Math.floor(Date.parse(ims) / 1000);
  return false;
}

export function notFound(message = "Not found"): Response {
  return new Response(message, { status: 404 });
}

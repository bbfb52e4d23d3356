import type { HeadersFunction } from "@remix-run/node";

/**
 * A route's `headers` export that lets the headers its loader, action or thrown response set
 * (Retry-After on a 429, Referrer-Policy: no-referrer on pages with a token in the address)
 * reach the HTML page too. Without a `headers` export Remix sends only the parent's headers on
 * a document request, so a plain (no-JavaScript) form post would lose them.
 * Set-Cookie is merged by Remix itself.
 */
export const keepRouteHeaders: HeadersFunction = ({ parentHeaders, loaderHeaders, actionHeaders, errorHeaders }) => {
  const headers = new Headers();
  for (const source of [parentHeaders, loaderHeaders, actionHeaders, errorHeaders]) {
    source?.forEach((value, name) => {
      if (name.toLowerCase() !== "set-cookie") headers.set(name, value);
    });
  }
  return headers;
};

// Embeddable pages (/embed/…) are framed by partners' websites: the server lets any site frame
// them (and only them), and the root route gives them no session, no cookies and no site chrome.

export function isEmbedPath(pathname: string): boolean {
  return pathname.startsWith("/embed/");
}

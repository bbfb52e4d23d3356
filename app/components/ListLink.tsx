import { useNavigate } from "@remix-run/react";
import { useEffect, type AnchorHTMLAttributes } from "react";

/**
 * A link in a long list (a month of events, a thread's posts) or in the page's frame (footer,
 * breadcrumbs, account links): a plain anchor. A router <Link> resolves its path and sets up
 * prefetching on every server render, about 15 µs each: a month view of 300 links spent half its
 * time there (autocannon, 2026-11-27: 122 → 230 req/s with anchors). Without JavaScript it is an
 * ordinary link; with it, useListLinks() below navigates client-side as a <Link> would. Only for
 * paths on this site that are pages (not files or feeds, which a client-side navigation cannot show).
 */
export function ListLink({ to, children, ...attributes }: { to: string } & Omit<AnchorHTMLAttributes<HTMLAnchorElement>, "href">) {
  return (
    <a {...attributes} href={to} data-rt-link="">
      {children}
    </a>
  );
}

/**
 * One click listener for every ListLink on the page: a plain left click (no modifier keys, no
 * other target) navigates through the router, so the page changes without a full reload.
 */
export function useListLinks() {
  const navigate = useNavigate();
  useEffect(() => {
    const onClick = (event: MouseEvent) => {
      if (event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
      const link = event.target instanceof Element ? event.target.closest("a[data-rt-link]") : null;
      if (!(link instanceof HTMLAnchorElement) || (link.target && link.target !== "_self") || link.origin !== window.location.origin) return;
      event.preventDefault();
      const to = `${link.pathname}${link.search}${link.hash}`;
      navigate(to, { replace: to === `${window.location.pathname}${window.location.search}${window.location.hash}` });
    };
    document.addEventListener("click", onClick);
    return () => document.removeEventListener("click", onClick);
  }, [navigate]);
}

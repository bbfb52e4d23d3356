import type { ReactNode } from "react";
import { Form, Link, useLocation } from "@remix-run/react";

/**
 * A click that cannot be undone asks first, without JavaScript: the visible button is a link to
 * the same page with `?confirm=<intent>` (see `confirmHref`), and the page then shows this warning
 * callout naming what will happen, with the real POST button and a "No, go back" link.
 */
export function confirmHref(returnTo: string, intent: string, extra: Record<string, string> = {}, anchor = "confirm"): string {
  const url = new URL(returnTo, "http://x");
  url.searchParams.delete("confirm");
  url.searchParams.set("confirm", intent);
  for (const [k, v] of Object.entries(extra)) url.searchParams.set(k, v);
  return `${url.pathname}${url.search}#${anchor}`;
}

/** Strips the `confirm` query so "No, go back" returns to the page as it was. */
export function withoutConfirm(returnTo: string, drop: string[] = []): string {
  const url = new URL(returnTo, "http://x");
  for (const k of ["confirm", ...drop]) url.searchParams.delete(k);
  return `${url.pathname}${url.search}`;
}

/** This page's URL and whether it is asking to confirm `intent` (`?confirm=<intent>`). */
export function useConfirming(intent: string): { here: string; asking: boolean } {
  const location = useLocation();
  return { here: `${location.pathname}${location.search}`, asking: new URLSearchParams(location.search).get("confirm") === intent };
}

/** The link that looks like the old button and leads to the confirmation. */
export function ConfirmLink({ to, children, label, variant = "warning" }: { to: string; children: ReactNode; label?: string; variant?: "warning" | "secondary" }) {
  return (
    <Link to={to} className={`nhsuk-button nhsuk-button--${variant} nhsuk-u-margin-bottom-0`} role="button" draggable="false" aria-label={label}>
      {children}
    </Link>
  );
}

export function ConfirmAction({
  heading,
  children,
  fields,
  confirmLabel,
  backTo,
  id = "confirm",
  level = 2,
}: {
  heading: string;
  children: ReactNode;
  fields: Record<string, string>;
  confirmLabel: string;
  backTo: string;
  id?: string;
  level?: 2 | 3 | 4;
}) {
  const H = `h${level}` as "h2";
  return (
    <div className="nhsuk-warning-callout" id={id}>
      <H className="nhsuk-warning-callout__label">
        <span role="text">
          <span className="nhsuk-u-visually-hidden">Important: </span>
          {heading}
        </span>
      </H>
      {children}
      <Form method="post" preventScrollReset>
        {Object.entries(fields).map(([k, v]) => (
          <input key={k} type="hidden" name={k} value={v} />
        ))}
        <button className="nhsuk-button nhsuk-button--warning" data-module="nhsuk-button" type="submit">
          {confirmLabel}
        </button>
      </Form>
      <p className="nhsuk-u-margin-bottom-0">
        <Link to={backTo}>No, go back</Link>
      </p>
    </div>
  );
}

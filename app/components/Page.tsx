import { useRouteLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { Breadcrumbs, type Crumb } from "./Breadcrumbs";

type RootData = { flash: { message: string; kind: "success" | "info" } | null };

/** A page's frame: breadcrumbs, the main landmark the skip link targets, and any flash message. */
export function Page({ crumbs = [], children, wide = false }: { crumbs?: Crumb[]; children: ReactNode; wide?: boolean }) {
  const root = useRouteLoaderData<RootData>("root");
  const flash = root?.flash;
  return (
    <>
      <div className="nhsuk-width-container">
        {crumbs.length ? <Breadcrumbs items={[{ to: "/", label: "Home" }, ...crumbs]} /> : null}
        <main className={`nhsuk-main-wrapper${wide ? " rt-main--wide" : ""}`} id="maincontent">
          {flash ? <FlashBanner message={flash.message} kind={flash.kind} /> : null}
          {children}
        </main>
      </div>
    </>
  );
}

export function FlashBanner({ message, kind }: { message: string; kind: "success" | "info" }) {
  return (
    <div
      className={`nhsuk-notification-banner${kind === "success" ? " nhsuk-notification-banner--success" : ""}`}
      role={kind === "success" ? "alert" : "region"}
      aria-labelledby="flash-title"
      data-module="nhsuk-notification-banner"
    >
      <div className="nhsuk-notification-banner__header">
        <h2 className="nhsuk-notification-banner__title" id="flash-title">
          {kind === "success" ? "Success" : "Important"}
        </h2>
      </div>
      <div className="nhsuk-notification-banner__content">
        <p className="nhsuk-notification-banner__heading">{message}</p>
      </div>
    </div>
  );
}

/** Inset empty state with a next step, so no page is ever just blank. */
export function EmptyState({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div className="nhsuk-inset-text rt-empty">
      <span className="nhsuk-u-visually-hidden">Information: </span>
      <p className="nhsuk-u-font-weight-bold">{title}</p>
      {children}
    </div>
  );
}

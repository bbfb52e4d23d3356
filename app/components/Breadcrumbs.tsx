import { Link } from "@remix-run/react";

export type Crumb = { to: string; label: string };

/** NHS.UK breadcrumb: the trail above the page heading, with a "back" link on phones. */
export function Breadcrumbs({ items }: { items: Crumb[] }) {
  if (items.length === 0) return null;
  const parent = items[items.length - 1];
  return (
    <nav className="nhsuk-breadcrumb" aria-label="Breadcrumb">
      <ol className="nhsuk-breadcrumb__list">
        {items.map((c) => (
          <li key={c.to} className="nhsuk-breadcrumb__list-item">
            <Link className="nhsuk-breadcrumb__link" to={c.to}>
              {c.label}
            </Link>
          </li>
        ))}
      </ol>
      <p className="nhsuk-breadcrumb__back">
        <Link className="nhsuk-breadcrumb__backlink" to={parent.to}>
          <span className="nhsuk-u-visually-hidden">Back to &nbsp;</span>
          {parent.label}
        </Link>
      </p>
    </nav>
  );
}

import { Link } from "@remix-run/react";

export type Crumb = { to: string; label: string };

/** NHS.UK breadcrumb (v10 markup): the trail above the heading; the back link shows instead on phones. */
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
      <Link className="nhsuk-back-link" to={parent.to}>
        <svg className="nhsuk-icon nhsuk-icon--chevron-left" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="16" height="16" focusable="false" aria-hidden="true">
          <path d="M10.7 6.3c.4.4.4 1 0 1.4L7.4 11H19a1 1 0 0 1 0 2H7.4l3.3 3.3c.4.4.4 1 0 1.4a1 1 0 0 1-1.4 0l-5-5A1 1 0 0 1 4 12c0-.3.1-.5.3-.7l5-5a1 1 0 0 1 1.4 0Z" />
        </svg>
        <span className="nhsuk-u-visually-hidden">Back to </span>
        {parent.label}
      </Link>
    </nav>
  );
}

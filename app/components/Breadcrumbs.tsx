import { ListLink } from "./ListLink";

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
            <ListLink className="nhsuk-breadcrumb__link" to={c.to}>
              {c.label}
            </ListLink>
          </li>
        ))}
      </ol>
      <ListLink className="nhsuk-back-link" to={parent.to}>
        <span className="nhsuk-u-visually-hidden">Back to </span>
        {parent.label}
      </ListLink>
    </nav>
  );
}

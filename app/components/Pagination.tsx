import { ListLink } from "./ListLink";

type Step = { to: string; text: string };

/** NHS.UK previous/next pagination; renders nothing when there is nowhere to go. */
export function PrevNextPagination({ previous, next, label = "Pages of results" }: { previous?: Step | null; next?: Step | null; label?: string }) {
  if (!previous && !next) return null;
  return (
    <nav className="nhsuk-pagination" role="navigation" aria-label={label}>
      <ul className="nhsuk-list nhsuk-pagination__list">
        {previous ? (
          <li className="nhsuk-pagination-item--previous">
            <ListLink className="nhsuk-pagination__link nhsuk-pagination__link--prev" to={previous.to}>
              <span className="nhsuk-pagination__title">Previous</span>
              <span className="nhsuk-u-visually-hidden">:</span>
              <span className="nhsuk-pagination__page">{previous.text}</span>
            </ListLink>
          </li>
        ) : null}
        {next ? (
          <li className="nhsuk-pagination-item--next">
            <ListLink className="nhsuk-pagination__link nhsuk-pagination__link--next" to={next.to}>
              <span className="nhsuk-pagination__title">Next</span>
              <span className="nhsuk-u-visually-hidden">:</span>
              <span className="nhsuk-pagination__page">{next.text}</span>
            </ListLink>
          </li>
        ) : null}
      </ul>
    </nav>
  );
}

/** Numbered pages of a list: "Previous: Page 2 of 9" / "Next: Page 4 of 9". */
export function Pagination({ page, pages, link, label }: { page: number; pages: number; link: (page: number) => string; label?: string }) {
  if (pages <= 1) return null;
  return (
    <PrevNextPagination
      label={label}
      previous={page > 1 ? { to: link(page - 1), text: `Page ${page - 1} of ${pages}` } : null}
      next={page < pages ? { to: link(page + 1), text: `Page ${page + 1} of ${pages}` } : null}
    />
  );
}

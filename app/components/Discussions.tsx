/** Pieces shared by the discussion pages (client-safe: no server imports). */
import { ListLink } from "./ListLink";

export type ThreadListEntry = {
  id: number;
  title: string;
  pinned: boolean;
  locked: boolean;
  hidden: boolean;
  replyCount: number;
  lastPostAt: string;
  categoryName: string;
  authorName: string;
  unread: "new" | "unread" | null;
};

const dateFormat = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", timeZone: "Europe/London" });
const dateTimeFormat = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit", timeZone: "Europe/London" });

export function formatDate(iso: string): string {
  return dateFormat.format(new Date(iso));
}

export function formatDateTime(iso: string): string {
  return dateTimeFormat.format(new Date(iso));
}

export function ThreadList({ threads, showCategory = false }: { threads: ThreadListEntry[]; showCategory?: boolean }) {
  return (
    <ul className="nhsuk-list rt-thread-list">
      {threads.map((t) => (
        <li key={t.id} className="rt-thread-list__item">
          <h3 className="nhsuk-heading-s nhsuk-u-margin-bottom-1 rt-break">
            <ListLink to={`/discussions/${t.id}`}>{t.title}</ListLink>
            {t.unread ? <strong className="nhsuk-tag nhsuk-tag--blue rt-tag-inline">{t.unread === "new" ? "New" : "Unread replies"}</strong> : null}
            {t.pinned ? <strong className="nhsuk-tag nhsuk-tag--white rt-tag-inline">Pinned</strong> : null}
            {t.locked ? <strong className="nhsuk-tag nhsuk-tag--grey rt-tag-inline">Closed</strong> : null}
            {t.hidden ? <strong className="nhsuk-tag nhsuk-tag--red rt-tag-inline">Hidden</strong> : null}
          </h3>
          <p className="nhsuk-body-s nhsuk-u-margin-bottom-0 rt-thread-list__meta">
            Started by {t.authorName}
            {showCategory ? <> in {t.categoryName}</> : null} · {t.replyCount} {t.replyCount === 1 ? "reply" : "replies"} · last post {formatDate(t.lastPostAt)}
          </p>
        </li>
      ))}
    </ul>
  );
}

function Icon({ name }: { name: "arrow-left" | "arrow-right" }) {
  const d =
    name === "arrow-left"
      ? "M10.7 6.3c.4.4.4 1 0 1.4L7.4 11H19a1 1 0 0 1 0 2H7.4l3.3 3.3c.4.4.4 1 0 1.4a1 1 0 0 1-1.4 0l-5-5A1 1 0 0 1 4 12c0-.3.1-.5.3-.7l5-5a1 1 0 0 1 1.4 0Z"
      : "m14.7 6.3 5 5c.2.2.3.4.3.7 0 .3-.1.5-.3.7l-5 5a1 1 0 0 1-1.4-1.4l3.3-3.3H5a1 1 0 0 1 0-2h11.6l-3.3-3.3a1 1 0 1 1 1.4-1.4Z";
  return (
    <svg className={`nhsuk-icon nhsuk-icon--${name}`} xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" width="16" height="16" focusable="false" aria-hidden="true">
      <path d={d} />
    </svg>
  );
}

/** Page numbers around the current one, with the first and last always there: 1 … 4 5 6 … 100. */
export function pageWindow(page: number, pages: number): Array<number | "gap"> {
  const wanted = new Set([1, pages, page - 1, page, page + 1].filter((p) => p >= 1 && p <= pages));
  const sorted = [...wanted].sort((a, b) => a - b);
  const out: Array<number | "gap"> = [];
  for (const [i, p] of sorted.entries()) {
    if (i > 0 && p - sorted[i - 1] > 1) out.push("gap");
    out.push(p);
  }
  return out;
}

/** NHS.UK numbered pagination, so a long thread's first and last pages are one click away. */
export function NumberedPagination({ page, pages, link, label = "Pages" }: { page: number; pages: number; link: (page: number) => string; label?: string }) {
  if (pages <= 1) return null;
  return (
    <nav className="nhsuk-pagination nhsuk-pagination--numbered" role="navigation" aria-label={label}>
      {page > 1 ? (
        <ListLink to={link(page - 1)} className="nhsuk-pagination__previous" rel="prev">
          <Icon name="arrow-left" />
          <span className="nhsuk-pagination__title">
            Previous<span className="nhsuk-u-visually-hidden"> page</span>
          </span>
        </ListLink>
      ) : null}
      <ul className="nhsuk-pagination__list">
        {pageWindow(page, pages).map((p, i) =>
          p === "gap" ? (
            <li key={`gap-${i}`} className="nhsuk-pagination__item nhsuk-pagination__item--ellipsis">
              ⋯
            </li>
          ) : (
            <li key={p} className={`nhsuk-pagination__item${p === page ? " nhsuk-pagination__item--current" : ""}`}>
              <ListLink className="nhsuk-pagination__link" to={link(p)} aria-label={`Page ${p}`} aria-current={p === page ? "page" : undefined}>
                {p}
              </ListLink>
            </li>
          ),
        )}
      </ul>
      {page < pages ? (
        <ListLink to={link(page + 1)} className="nhsuk-pagination__next" rel="next">
          <span className="nhsuk-pagination__title">
            Next<span className="nhsuk-u-visually-hidden"> page</span>
          </span>
          <Icon name="arrow-right" />
        </ListLink>
      ) : null}
    </nav>
  );
}

/**
 * Said on the new-thread and reply forms, before anyone writes: who will read the post, and not
 * to describe the people they support (a post about a client went public and into a digest).
 */
export function WhoWillSee({ isPublic }: { isPublic: boolean }) {
  return (
    <div className="nhsuk-warning-callout">
      <h3 className="nhsuk-warning-callout__label">
        <span role="text">
          <span className="nhsuk-u-visually-hidden">Important: </span>Who will see this
        </span>
      </h3>
      <p>
        {isPublic
          ? "Anyone can read public categories, without signing in, and posts in them may appear in the email digest."
          : "Only members of the network can read this."}
      </p>
      <p>Do not post personal or clinical details about the people you support: no names, ages, addresses, places that identify someone, or health conditions.</p>
    </div>
  );
}

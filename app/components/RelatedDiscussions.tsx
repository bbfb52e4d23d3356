import { Link } from "@remix-run/react";

export type RelatedThread = { id: number; title: string; replyCount: number; lastPostAt: string };

/**
 * Discussions about an event, a resource or an organisation, shown on that page.
 * Data comes from listThreadsAbout() in app/models/discussions.server.ts.
 */
export function RelatedDiscussions({ threads, about, canStart = true }: { threads: RelatedThread[]; about: `${"event" | "resource" | "organisation"}:${number}`; canStart?: boolean }) {
  return (
    <section aria-labelledby="related-discussions" className="nhsuk-u-margin-top-5">
      <h2 id="related-discussions" className="nhsuk-heading-m">
        Discussions
      </h2>
      {threads.length ? (
        <ul className="nhsuk-list nhsuk-list--bullet">
          {threads.map((t) => (
            <li key={t.id}>
              <Link to={`/discussions/${t.id}`}>{t.title}</Link>{" "}
              <span className="nhsuk-body-s">
                ({t.replyCount} {t.replyCount === 1 ? "reply" : "replies"})
              </span>
            </li>
          ))}
        </ul>
      ) : (
        <p>No discussions about this yet.</p>
      )}
      {canStart ? (
        <p>
          <Link to={`/discussions/new?about=${about}`}>Start a discussion about this</Link>
        </p>
      ) : null}
    </section>
  );
}

import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { formatDate, ThreadList } from "~/components/Discussions";
import { EmptyState, Page } from "~/components/Page";
import { RouteErrorBoundary } from "~/components/RouteErrorBoundary";
import { searchDiscussions } from "~/models/discussion-search.server";
import { discussionReadableCategoryIds, moderatedNetworkIds } from "~/models/access.server";
import { listCategories, listRecentThreads, postableCategories } from "~/models/discussions.server";
import { unreadNotificationCount } from "~/models/notifications.server";
import { getOptionalUser } from "~/utils/auth.server";
import { cleanSingleLine } from "~/utils/text";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getOptionalUser(request);
  const q = cleanSingleLine(new URL(request.url).searchParams.get("q") ?? "", 200);
  const categoryIds = await discussionReadableCategoryIds(user);
  const [categories, recent, results, canStart, moderates, unread] = await Promise.all([
    listCategories(categoryIds),
    listRecentThreads({ categoryIds, user, limit: 10 }),
    q ? searchDiscussions({ q, categoryIds, limit: 30 }) : Promise.resolve(null),
    user ? postableCategories(user).then((c) => c.length > 0) : Promise.resolve(false),
    moderatedNetworkIds(user).then((ids) => ids.length > 0),
    user ? unreadNotificationCount(user.id) : Promise.resolve(0),
  ]);
  const networks: Array<{ id: number; name: string; slug: string; categories: typeof categories }> = [];
  for (const c of categories) {
    let n = networks.find((x) => x.id === c.network_id);
    if (!n) networks.push((n = { id: c.network_id, name: c.network_name, slug: c.network_slug, categories: [] }));
    n.categories.push(c);
  }
  return json({ signedIn: Boolean(user), networks, recent, q, results, canStart, moderates, unread });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data?.q ? `Search discussions for “${data.q}” – Roundtable` : "Discussions – Roundtable" }];

export default function DiscussionsIndex() {
  const { signedIn, networks, recent, q, results, canStart, moderates, unread } = useLoaderData<typeof loader>();
  return (
    <Page>
      <div className="rt-split-row">
        <h1 className="nhsuk-u-margin-bottom-3">Discussions</h1>
        {canStart ? (
          <Link to="/discussions/new" className="nhsuk-button nhsuk-u-margin-bottom-3" role="button" draggable="false">
            Start a discussion
          </Link>
        ) : null}
      </div>
      <p className="nhsuk-lede-text">Ask, share and decide with the people around the table, between events.</p>
      {signedIn ? (
        <ul className="rt-inline-links nhsuk-list">
          <li>
            <Link to="/notifications">Your notifications{unread ? ` (${unread} unread)` : ""}</Link>
          </li>
          {moderates ? (
            <li>
              <Link to="/discussions/moderation">Moderation queue</Link>
            </li>
          ) : null}
        </ul>
      ) : (
        <p>
          <Link to="/sign-in?redirectTo=/discussions">Sign in</Link> to join in, follow discussions and see the ones for members only.
        </p>
      )}

      <div className="nhsuk-u-margin-bottom-5">
        <Form method="get" action="/discussions" className="rt-inline-form" role="search" aria-label="Discussions">
          <div className="nhsuk-form-group">
            <label className="nhsuk-label" htmlFor="q">
              Search discussions
            </label>
            <input className="nhsuk-input nhsuk-input--width-20" id="q" name="q" type="search" defaultValue={q} maxLength={200} />
          </div>
          <button className="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0" type="submit">
            Search
          </button>
        </Form>
      </div>

      {results ? (
        <section aria-labelledby="results-heading">
          <h2 id="results-heading">
            {results.length === 0 ? "No discussions match" : `${results.length} ${results.length === 1 ? "discussion matches" : "discussions match"}`} “{q}”
          </h2>
          {results.length ? (
            <ul className="nhsuk-list rt-thread-list">
              {results.map((r) => (
                <li key={r.threadId} className="rt-thread-list__item">
                  <h3 className="nhsuk-heading-s nhsuk-u-margin-bottom-1 rt-break">
                    <Link to={`/discussions/${r.threadId}/posts/${r.postId}`}>{r.title}</Link>
                  </h3>
                  <p className="nhsuk-body-s nhsuk-u-margin-bottom-0 rt-break">{r.snippet}</p>
                </li>
              ))}
            </ul>
          ) : (
            <p>Try fewer or different words.</p>
          )}
          <p>
            <Link to="/discussions">Clear the search</Link>
          </p>
        </section>
      ) : null}

      {networks.length === 0 ? (
        <EmptyState title="No discussions you can see yet.">
          <p>
            Discussions belong to networks. <Link to="/networks">Join a network</Link> to take part.
          </p>
        </EmptyState>
      ) : (
        <>
          <section aria-labelledby="recent-heading">
            <h2 id="recent-heading">Recent discussions</h2>
            {recent.length ? <ThreadList threads={recent} showCategory /> : <p>No discussions yet. Start the first one.</p>}
          </section>
          {networks.map((n) => (
            <section key={n.id} aria-labelledby={`network-${n.id}`}>
              <h2 id={`network-${n.id}`}>{n.name}</h2>
              <ul className="nhsuk-list rt-thread-list">
                {n.categories.map((c) => (
                  <li key={c.id} className="rt-thread-list__item">
                    <h3 className="nhsuk-heading-s nhsuk-u-margin-bottom-1">
                      <Link to={`/discussions/c/${c.id}`}>{c.name}</Link>
                      {c.members_only ? <strong className="nhsuk-tag nhsuk-tag--grey rt-tag-inline">Members only</strong> : null}
                    </h3>
                    <p className="nhsuk-body-s nhsuk-u-margin-bottom-1">{c.description}</p>
                    <p className="nhsuk-body-s nhsuk-u-margin-bottom-0 rt-thread-list__meta">
                      {c.thread_count} {c.thread_count === 1 ? "discussion" : "discussions"}
                      {c.last_post_at ? ` · last post ${formatDate(c.last_post_at)}` : ""}
                    </p>
                  </li>
                ))}
              </ul>
            </section>
          ))}
        </>
      )}
    </Page>
  );
}

export const ErrorBoundary = RouteErrorBoundary;

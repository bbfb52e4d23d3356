import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { EmptyState, Page } from "~/components/Page";
import { RouteErrorBoundary } from "~/components/RouteErrorBoundary";
import { buildDigest, renderDigestFor } from "~/models/digest-sender.server";
import { getSubscription, subscriptionFromToken } from "~/models/digests.server";
import { platformPowers } from "~/models/access.server";
import { getOptionalUser } from "~/utils/auth.server";
import { periodKey } from "~/utils/digest-period";

/** The next digest as it stands now: for the subscriber (manage token) or a platform admin (?id=). */
export async function loader({ request }: LoaderFunctionArgs) {
  const url = new URL(request.url);
  const token = url.searchParams.get("token");
  let sub = token ? await subscriptionFromToken(token) : undefined;
  if (!token) {
    const user = await getOptionalUser(request);
    const id = Number(url.searchParams.get("id"));
    if (platformPowers(user) && Number.isInteger(id) && id > 0) sub = await getSubscription(id);
  }
  if (!sub) throw new Response("Not found", { status: 404 });
  const now = new Date();
  const frequency = sub.frequency === "daily" ? "daily" : "weekly";
  const { since, content } = await buildDigest(sub, now);
  const { email } = await renderDigestFor(sub, content, periodKey(frequency, now));
  return json({
    email: sub.email,
    frequency,
    off: sub.frequency === "off" || sub.status !== "active",
    since,
    subject: email.subject,
    text: email.text,
    sections: content.sections,
    manageQuery: token ? `token=${encodeURIComponent(token)}` : null,
  });
}

export const meta: MetaFunction = () => [{ title: "Preview your digest – Roundtable" }, { name: "robots", content: "noindex" }];

export default function PreviewDigest() {
  const data = useLoaderData<typeof loader>();
  const since = new Date(data.since).toLocaleString("en-GB", { dateStyle: "long", timeStyle: "short", timeZone: "Europe/London" });
  return (
    <Page crumbs={[{ to: "/digest", label: "Email digest" }]}>
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <span className="nhsuk-caption-l">Preview for {data.email}</span>
          <h1>Your next {data.frequency} digest</h1>
          {data.off ? <p className="nhsuk-body">This digest is not being sent at the moment; this is what it would hold.</p> : null}
          <p>Everything new since {since}, as it stands right now. It may change before it is sent.</p>
          {data.sections.length === 0 ? (
            <EmptyState title="Nothing new yet">
              <p>When there is nothing new, no digest is sent.</p>
            </EmptyState>
          ) : (
            <>
              <p>
                <strong>Subject:</strong> {data.subject}
              </p>
              {data.sections.map((s) => (
                <section key={s.key} aria-labelledby={`section-${s.key}`}>
                  <h2 id={`section-${s.key}`}>{s.heading}</h2>
                  <ul className="nhsuk-list rt-digest-list">
                    {s.items.map((item) => (
                      <li key={`${s.key}-${item.id}`}>
                        <h3 className="nhsuk-heading-s">
                          <Link to={item.url}>{item.title}</Link>
                        </h3>
                        {item.when ? <p className="nhsuk-body-s nhsuk-u-font-weight-bold">{item.when}</p> : null}
                        {item.meta ? <p className="nhsuk-body-s rt-digest-meta">{item.meta}</p> : null}
                        {item.summary ? <p className="nhsuk-body-s">{item.summary}</p> : null}
                        {item.icsUrl ? (
                          <p className="nhsuk-body-s">
                            <a href={item.icsUrl}>Add “{item.title}” to your calendar</a>
                          </p>
                        ) : null}
                      </li>
                    ))}
                  </ul>
                </section>
              ))}
              <details className="nhsuk-details">
                <summary className="nhsuk-details__summary">
                  <span className="nhsuk-details__summary-text">Plain-text version</span>
                </summary>
                <div className="nhsuk-details__text">
                  <pre className="rt-digest-text">{data.text}</pre>
                </div>
              </details>
            </>
          )}
          {data.manageQuery ? (
            <p>
              <Link to={`/digest/manage?${data.manageQuery}`}>Change your digest</Link>
            </p>
          ) : null}
        </div>
      </div>
    </Page>
  );
}

export const ErrorBoundary = RouteErrorBoundary;

import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Button, ErrorSummary, Textarea } from "~/components/forms";
import { Page } from "~/components/Page";
import { RelatedDiscussions } from "~/components/RelatedDiscussions";
import { RouteErrorBoundary } from "~/components/RouteErrorBoundary";
import { listThreadsAbout } from "~/models/discussions.server";
import { listUpcoming } from "~/models/events/queries.server";
import { noticeResourceDecision } from "~/models/resource-notices.server";
import { getResourceForViewer, moderateResource, reportBrokenLink, setSaved } from "~/models/resources.server";
import { KIND_LABEL } from "~/validation/resources";
import { getOptionalUser, requireUser } from "~/utils/auth.server";
import { formatBytes } from "~/utils/file-sniff.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { consume } from "~/utils/rate-limit.server";
import { cleanMultiline } from "~/utils/text";
import { outcomeLabel, topicLabel } from "~/utils/vocab";

function resourceId(params: { id?: string }): number {
  const id = Number(params.id);
  if (!/^\d{1,12}$/.test(params.id ?? "") || !Number.isSafeInteger(id)) throw new Response("Not found", { status: 404 });
  return id;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await getOptionalUser(request);
  const r = await getResourceForViewer({ id: resourceId(params), user });
  if (!r) throw new Response("Not found", { status: 404 });
  return json({
    signedIn: !!user,
    resource: {
      ...r,
      files: r.files.map((f) => ({ ...f, size: formatBytes(f.size_bytes) })),
    },
    discussions: { threads: await listThreadsAbout({ subjectType: "resource", subjectId: r.id, user }), about: `resource:${r.id}` as const },
    // Upcoming events on the same topics, as the user may see them.
    relatedEvents: r.topics.length
      ? (await listUpcoming({ user, filters: { topics: r.topics }, perPage: 3 })).items.map((e) => ({ key: `${e.eventId}-${e.occurrence}`, url: e.url, title: e.title, meta: `${e.shortWhen} · ${e.place}` }))
      : [],
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const id = resourceId(params);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const here = `/resources/${id}`;
  if (intent === "save" || intent === "unsave") {
    if (!(await setSaved({ user, id, saved: intent === "save" }))) throw new Response("Not found", { status: 404 });
    return redirectWithFlash(here, intent === "save" ? "Saved to your resources." : "Removed from your saved resources.");
  }
  if (intent === "report") {
    const limit = await consume(`resource-report:${user.id}`, 20, 3600);
    if (!limit.allowed) return json({ errors: { note: "You have sent a lot of reports. Try again later." } as Record<string, string> }, { status: 429 });
    const note = cleanMultiline(String(form.get("note") ?? "")).slice(0, 1000);
    if (!(await reportBrokenLink({ user, id, note }))) throw new Response("Not found", { status: 404 });
    return redirectWithFlash(here, "Thank you. A moderator will check the link.");
  }
  if (intent === "approve" || intent === "reject") {
    const reason = cleanMultiline(String(form.get("reason") ?? "")).slice(0, 2000) || null;
    const result = await moderateResource({ user, id, decision: intent, reason });
    if (!result.ok) {
      if (result.notFound) throw new Response("Not found", { status: 404 });
      return json({ errors: { reason: result.error ?? "Something went wrong" } as Record<string, string> }, { status: 400 });
    }
    await noticeResourceDecision(result);
    return redirectWithFlash(intent === "approve" ? here : "/resources/moderation", intent === "approve" ? "The resource is published and the contributor has been told." : "The resource was rejected and the contributor has been told why.");
  }
  return json({ errors: { form: "Unknown action" } as Record<string, string> }, { status: 400 });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: data ? `${data.resource.title} – Resources – Roundtable` : "Resource – Roundtable" },
  ...(data ? [{ name: "description", content: data.resource.summary.slice(0, 200) }] : []),
];

export default function ResourcePage() {
  const { resource: r, signedIn, discussions, relatedEvents } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const errors: Partial<Record<string, string>> | undefined = data?.errors;
  const current = r.files[0];
  return (
    <Page crumbs={[{ to: "/resources", label: "Resources" }]}>
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <ErrorSummary errors={errors} />
          {r.status === "pending" ? (
            <div className="nhsuk-warning-callout">
              <h2 className="nhsuk-warning-callout__label">
                <span role="text">
                  <span className="nhsuk-u-visually-hidden">Important: </span>Waiting for a moderator
                </span>
              </h2>
              <p>Only you and the network's moderators can see this resource until it is approved.</p>
            </div>
          ) : null}
          {r.status === "rejected" ? (
            <div className="nhsuk-warning-callout">
              <h2 className="nhsuk-warning-callout__label">
                <span role="text">
                  <span className="nhsuk-u-visually-hidden">Important: </span>Not published
                </span>
              </h2>
              <p>A moderator did not publish this resource. Their reason: {r.rejectionReason}</p>
              {r.access.canEdit ? <p>You can change it and send it again.</p> : null}
            </div>
          ) : null}
          <span className="nhsuk-caption-l">{KIND_LABEL[r.kind] ?? r.kind}</span>
          <h1>{r.title}</h1>
          <p className="nhsuk-body-l">
            {r.publisherSlug ? <Link to={`/organisations/${r.publisherSlug}`}>{r.publisherName}</Link> : r.publisherName}
            {r.year ? `, ${r.year}` : ""}
          </p>
          {r.summary.split(/\n{2,}/).map((p, i) => (
            <p key={i} className="rt-pre-line">
              {p}
            </p>
          ))}
          {current ? (
            <p>
              <a className="nhsuk-button" href={`/resources/${r.id}/download`} download>
                Download <span className="nhsuk-u-visually-hidden">{r.title}</span> ({current.size})
              </a>
            </p>
          ) : r.url ? (
            <p>
              <a className="nhsuk-button" href={r.url} rel="noopener noreferrer nofollow ugc">
                Open <span className="nhsuk-u-visually-hidden">{r.title}</span> on {hostOf(r.url)}
              </a>
            </p>
          ) : null}

          <h2 className="nhsuk-heading-m">Details</h2>
          <dl className="nhsuk-summary-list">
            <Row label="Kind">{KIND_LABEL[r.kind] ?? r.kind}</Row>
            <Row label="Publisher">{r.publisherName ?? "Not stated"}</Row>
            <Row label="Year">{r.year ?? "Not stated"}</Row>
            <Row label="Topics">{r.topics.length ? r.topics.map(topicLabel).join(", ") : "None given"}</Row>
            <Row label="Outcome domains">
              {r.outcomes.length ? (
                <ul className="nhsuk-list rt-list-tight">
                  {r.outcomes.map((o) => (
                    <li key={o}>{outcomeLabel(o)}</li>
                  ))}
                </ul>
              ) : (
                "None given"
              )}
            </Row>
            <Row label="Licence">{r.licence || "Not stated"}</Row>
            <Row label="Network">
              <Link to={`/networks/${r.networkSlug}`}>{r.networkName}</Link>
              {r.visibility === "members" ? " (members only)" : ""}
            </Row>
            {r.contributorName ? <Row label="Shared by">{r.contributorName}</Row> : null}
            {r.url ? (
              <Row label="Link">
                <a href={r.url} rel="noopener noreferrer nofollow ugc" className="rt-break">
                  {r.url}
                </a>
              </Row>
            ) : null}
          </dl>

          {r.files.length > 0 ? (
            <>
              <h2 className="nhsuk-heading-m">Versions</h2>
              <div className="rt-table-scroll">
                <table className="nhsuk-table">
                  <caption className="nhsuk-table__caption nhsuk-u-visually-hidden">Every version of this file, newest first</caption>
                  <thead className="nhsuk-table__head">
                    <tr className="nhsuk-table__row">
                      <th className="nhsuk-table__header" scope="col">Version</th>
                      <th className="nhsuk-table__header" scope="col">File</th>
                      <th className="nhsuk-table__header" scope="col">Uploaded</th>
                    </tr>
                  </thead>
                  <tbody className="nhsuk-table__body">
                    {r.files.map((f) => (
                      <tr className="nhsuk-table__row" key={f.version}>
                        <td className="nhsuk-table__cell">{f.version}</td>
                        <td className="nhsuk-table__cell rt-break">
                          <a href={`/resources/${r.id}/download?version=${f.version}`} download>
                            {f.original_filename}
                          </a>{" "}
                          ({f.size})
                        </td>
                        <td className="nhsuk-table__cell">{formatDate(f.uploaded_at)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </>
          ) : null}

          {r.status === "pending" && r.access.canModerate ? (
            <section aria-labelledby="moderate-heading">
              <h2 className="nhsuk-heading-m" id="moderate-heading">
                Moderate
              </h2>
              <Form method="post">
                <Button name="intent" value="approve">
                  Approve and publish
                </Button>
              </Form>
              <Form method="post" noValidate>
                <Textarea name="reason" label="Reason for rejecting" hint="The contributor is emailed this reason." error={errors?.reason} rows={3} />
                <Button name="intent" value="reject" variant="secondary">
                  Reject
                </Button>
              </Form>
            </section>
          ) : null}
        </div>
        <div className="nhsuk-grid-column-one-third">
          <h2 className="nhsuk-heading-s">Actions</h2>
          {signedIn && r.status === "published" ? (
            <Form method="post">
              <input type="hidden" name="intent" value={r.saved ? "unsave" : "save"} />
              <Button variant="secondary">{r.saved ? "Remove from saved" : "Save for later"}</Button>
            </Form>
          ) : null}
          <ul className="nhsuk-list">
            {r.access.canEdit ? (
              <li>
                <Link to={`/resources/${r.id}/edit`}>Edit or upload a new version</Link>
              </li>
            ) : null}
            {signedIn ? (
              <li>
                <Link to="/resources/saved">My saved resources</Link>
              </li>
            ) : (
              <li>
                <Link to={`/sign-in?redirectTo=${encodeURIComponent(`/resources/${r.id}`)}`}>Sign in</Link> to save resources
              </li>
            )}
            {r.access.canModerate && r.openReports > 0 ? (
              <li>
                <Link to="/resources/moderation">
                  {r.openReports} open broken-link report{r.openReports === 1 ? "" : "s"}
                </Link>
              </li>
            ) : null}
          </ul>
          {signedIn && r.status === "published" && r.url ? (
            <details className="nhsuk-details">
              <summary className="nhsuk-details__summary">
                <span className="nhsuk-details__summary-text">Report a broken link</span>
              </summary>
              <div className="nhsuk-details__text">
                <Form method="post">
                  <Textarea name="note" label="What is wrong? (optional)" rows={3} error={errors?.note} />
                  <Button name="intent" value="report" variant="secondary">
                    Report link
                  </Button>
                </Form>
              </div>
            </details>
          ) : null}
          {r.status === "published" && relatedEvents.length ? (
            <section aria-labelledby="related-events" className="nhsuk-u-margin-top-5">
              <h2 id="related-events" className="nhsuk-heading-m">
                Related events
              </h2>
              <ul className="nhsuk-list nhsuk-list--border">
                {relatedEvents.map((e) => (
                  <li key={e.key}>
                    <Link to={e.url}>{e.title}</Link>
                    <span className="nhsuk-body-s rt-meta rt-meta--below">{e.meta}</span>
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
          {r.status === "published" ? <RelatedDiscussions threads={discussions.threads} about={discussions.about} /> : null}
        </div>
      </div>
    </Page>
  );
}

function Row({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="nhsuk-summary-list__row">
      <dt className="nhsuk-summary-list__key">{label}</dt>
      <dd className="nhsuk-summary-list__value">{children}</dd>
    </div>
  );
}

function hostOf(url: string): string {
  try {
    return new URL(url).hostname.replace(/^www\./, "");
  } catch {
    return "the web";
  }
}

function formatDate(iso: string): string {
  return new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "Europe/London" }).format(new Date(iso));
}

export const ErrorBoundary = RouteErrorBoundary;

import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { formatDateTime } from "~/components/Discussions";
import { Button, Radios } from "~/components/forms";
import { EmptyState, Page } from "~/components/Page";
import { RouteErrorBoundary } from "~/components/RouteErrorBoundary";
import { discussionVisibility, moderatedNetworkIds, networksWithRole } from "~/models/access.server";
import { listHidden, listNetworkCategories, listOpenReports, moderate, setCategoryMembersOnly, setDiscussionVisibility } from "~/models/discussions.server";
import { requireNetworkRole, requireUser } from "~/utils/auth.server";
import { redirectWithFlash } from "~/utils/flash.server";

const HERE = "/discussions/moderation";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const networkIds = await moderatedNetworkIds(user);
  if (networkIds.length === 0) throw new Response("Not found", { status: 404 });
  const [reports, hidden, adminOf] = await Promise.all([listOpenReports(networkIds), listHidden(networkIds), networksWithRole(user, "admin")]);
  const settings = await Promise.all(
    adminOf.map(async (n) => ({ id: n.id, name: n.name, visibility: await discussionVisibility(n.id), categories: await listNetworkCategories(n.id) })),
  );
  return json({ reports, hidden, settings });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  if (intent === "visibility") {
    const networkId = Number(form.get("networkId"));
    const visibility = form.get("visibility");
    if (!Number.isSafeInteger(networkId) || (visibility !== "public" && visibility !== "members")) throw new Response("Bad request", { status: 400 });
    await requireNetworkRole(user, networkId, "admin", { returnTo: HERE });
    await setDiscussionVisibility(networkId, visibility, user.id);
    return redirectWithFlash(HERE, visibility === "public" ? "Anyone can now read this network's discussions; only members can post." : "This network's discussions are now for members only.");
  }
  if (intent === "category-visibility") {
    const networkId = Number(form.get("networkId"));
    const categoryId = Number(form.get("categoryId"));
    const readers = form.get("readers");
    if (!Number.isSafeInteger(networkId) || !Number.isSafeInteger(categoryId) || (readers !== "network" && readers !== "members")) {
      throw new Response("Bad request", { status: 400 });
    }
    await requireNetworkRole(user, networkId, "admin", { returnTo: HERE });
    if (!(await setCategoryMembersOnly(networkId, categoryId, readers === "members"))) throw new Response("Not found", { status: 404 });
    return redirectWithFlash(
      HERE,
      readers === "members"
        ? "Only members of the network can now read this category. It is kept out of public pages, feeds, search and digests."
        : "This category now follows the network's setting.",
    );
  }
  if (intent === "hide-post" || intent === "restore-post" || intent === "dismiss-reports") {
    const postId = Number(form.get("postId"));
    if (!Number.isSafeInteger(postId)) throw new Response("Bad request", { status: 400 });
    const result = await moderate(user, { kind: intent, postId });
    if (!result.ok) throw new Response("Not found", { status: 404 });
    return redirectWithFlash(HERE, result.message);
  }
  if (intent === "restore-thread") {
    const threadId = Number(form.get("threadId"));
    if (!Number.isSafeInteger(threadId)) throw new Response("Bad request", { status: 400 });
    const result = await moderate(user, { kind: intent, threadId });
    if (!result.ok) throw new Response("Not found", { status: 404 });
    return redirectWithFlash(HERE, result.message);
  }
  throw new Response("Bad request", { status: 400 });
}

export const meta: MetaFunction = () => [{ title: "Moderation queue – Discussions – Roundtable" }];

export default function ModerationQueue() {
  const { reports, hidden, settings } = useLoaderData<typeof loader>();
  return (
    <Page crumbs={[{ to: "/discussions", label: "Discussions" }]}>
      <h1>Moderation queue</h1>
      <p>Reported posts in the networks you moderate. Hiding a post removes it for everyone but moderators, and tells its author and the people who reported it.</p>
      <h2>Reported posts</h2>
      {reports.length === 0 ? (
        <EmptyState title="No reports waiting.">
          <p>Thank you for keeping the discussions friendly.</p>
        </EmptyState>
      ) : (
        <ul className="nhsuk-list">
          {reports.map((r) => (
            <li key={r.postId} className="nhsuk-card">
              <div className="nhsuk-card__content">
                <h3 className="nhsuk-card__heading nhsuk-heading-s rt-break">
                  Post by {r.authorName} in <Link to={`/discussions/${r.threadId}/posts/${r.postId}`}>{r.threadTitle}</Link> ({r.network})
                  {r.hidden ? <strong className="nhsuk-tag nhsuk-tag--red rt-tag-inline">Hidden</strong> : null}
                </h3>
                <blockquote className="rt-quote rt-break">{r.excerpt}</blockquote>
                <h4 className="nhsuk-heading-xs">
                  {r.reports.length} {r.reports.length === 1 ? "report" : "reports"}
                </h4>
                <ul className="nhsuk-list nhsuk-list--bullet">
                  {r.reports.map((rep) => (
                    <li key={rep.id} className="rt-break">
                      <strong>{rep.reporterName}</strong>
                      {rep.reporterEmail ? ` (${rep.reporterEmail})` : ""}, {formatDateTime(rep.reportedAt)}: <span className="rt-prewrap">{rep.reason}</span>
                    </li>
                  ))}
                </ul>
                <div className="rt-button-row">
                  {!r.hidden && !r.deleted ? (
                    <Form method="post">
                      <input type="hidden" name="intent" value="hide-post" />
                      <input type="hidden" name="postId" value={r.postId} />
                      <Button variant="warning">
                        Hide post<span className="nhsuk-u-visually-hidden"> by {r.authorName}</span>
                      </Button>
                    </Form>
                  ) : null}
                  <Form method="post">
                    <input type="hidden" name="intent" value="dismiss-reports" />
                    <input type="hidden" name="postId" value={r.postId} />
                    <Button variant="secondary">
                      Leave it up<span className="nhsuk-u-visually-hidden">: dismiss reports on the post by {r.authorName}</span>
                    </Button>
                  </Form>
                </div>
              </div>
            </li>
          ))}
        </ul>
      )}

      <h2>Hidden posts</h2>
      {hidden.posts.length === 0 ? (
        <p>No hidden posts.</p>
      ) : (
        <ul className="nhsuk-list">
          {hidden.posts.map((p) => (
            <li key={p.id} className="rt-thread-list__item">
              <p className="nhsuk-u-margin-bottom-1 rt-break">
                {p.authorName} in <Link to={`/discussions/${p.threadId}/posts/${p.id}`}>{p.threadTitle}</Link>: {p.excerpt}
              </p>
              <Form method="post">
                <input type="hidden" name="intent" value="restore-post" />
                <input type="hidden" name="postId" value={p.id} />
                <Button variant="secondary">
                  Restore<span className="nhsuk-u-visually-hidden"> the post by {p.authorName}</span>
                </Button>
              </Form>
            </li>
          ))}
        </ul>
      )}
      {hidden.threads.length ? (
        <>
          <h2>Hidden discussions</h2>
          <ul className="nhsuk-list">
            {hidden.threads.map((t) => (
              <li key={t.id} className="rt-thread-list__item">
                <p className="nhsuk-u-margin-bottom-1 rt-break">
                  <Link to={`/discussions/${t.id}`}>{t.title}</Link>
                </p>
                <Form method="post">
                  <input type="hidden" name="intent" value="restore-thread" />
                  <input type="hidden" name="threadId" value={t.id} />
                  <Button variant="secondary">
                    Restore<span className="nhsuk-u-visually-hidden"> {t.title}</span>
                  </Button>
                </Form>
              </li>
            ))}
          </ul>
        </>
      ) : null}

      {settings.length ? (
        <>
          <h2>Who can read discussions</h2>
          {settings.map((s) => (
            <Form method="post" key={s.id}>
              <input type="hidden" name="intent" value="visibility" />
              <input type="hidden" name="networkId" value={s.id} />
              <Radios
                name="visibility"
                id={`visibility-${s.id}`}
                label={s.name}
                defaultValue={s.visibility}
                options={[
                  { value: "public", label: "Anyone, signed in or not", hint: "Only members can post and reply." },
                  { value: "members", label: "Members of the network only" },
                ]}
              />
              <Button variant="secondary">
                Save<span className="nhsuk-u-visually-hidden"> for {s.name}</span>
              </Button>
            </Form>
          ))}
          <h2>Members-only categories</h2>
          <p>Keep a category for members even when the network's discussions are public, for example for talking about people you support. Members-only categories stay out of public pages, feeds, search and public digests.</p>
          {settings.flatMap((s) =>
            s.categories.map((c) => (
              <Form method="post" key={`${s.id}-${c.id}`}>
                <input type="hidden" name="intent" value="category-visibility" />
                <input type="hidden" name="networkId" value={s.id} />
                <input type="hidden" name="categoryId" value={c.id} />
                <Radios
                  name="readers"
                  id={`readers-${c.id}`}
                  label={`${c.name} (${s.name})`}
                  defaultValue={c.members_only ? "members" : "network"}
                  options={[
                    { value: "network", label: "Same as the network's discussions" },
                    { value: "members", label: "Members of the network only" },
                  ]}
                />
                <Button variant="secondary">
                  Save<span className="nhsuk-u-visually-hidden"> for {c.name}</span>
                </Button>
              </Form>
            )),
          )}
        </>
      ) : null}
    </Page>
  );
}

export const ErrorBoundary = RouteErrorBoundary;

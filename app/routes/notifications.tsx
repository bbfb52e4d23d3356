import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { formatDateTime } from "~/components/Discussions";
import { Button } from "~/components/forms";
import { EmptyState, Page } from "~/components/Page";
import { RouteErrorBoundary } from "~/components/RouteErrorBoundary";
import { listNotifications, markRead, unreadNotificationCount } from "~/models/notifications.server";
import { requireUser } from "~/utils/auth.server";
import { redirectWithFlash } from "~/utils/flash.server";

const KIND_LABEL: Record<string, string> = { reply: "Reply", mention: "Mention", moderation: "Moderation", "new-thread": "New discussion" };

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const pageText = new URL(request.url).searchParams.get("page") ?? "1";
  const page = /^\d{1,5}$/.test(pageText) ? Number(pageText) : 1;
  const [list, unread] = await Promise.all([listNotifications({ accountId: user.id, page }), unreadNotificationCount(user.id)]);
  return json({ ...list, unread });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  if (intent === "read-all") {
    await markRead({ accountId: user.id });
    return redirectWithFlash("/notifications", "All notifications are marked as read.");
  }
  if (intent === "read") {
    const id = Number(form.get("id"));
    if (!Number.isSafeInteger(id)) throw new Response("Bad request", { status: 400 });
    await markRead({ accountId: user.id, ids: [id] });
    return redirectWithFlash("/notifications", "Marked as read.");
  }
  throw new Response("Bad request", { status: 400 });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.unread ? `(${data.unread}) ` : ""}Notifications – Roundtable` }];

export default function Notifications() {
  const { items, hasMore, page, unread } = useLoaderData<typeof loader>();
  return (
    <Page>
      <h1>Notifications</h1>
      <p>
        {unread === 0 ? "You are up to date." : `${unread} unread.`} We tell you about replies to discussions you follow, mentions and moderators' decisions.
      </p>
      {unread > 0 ? (
        <Form method="post">
          <input type="hidden" name="intent" value="read-all" />
          <Button variant="secondary">Mark all as read</Button>
        </Form>
      ) : null}
      {items.length === 0 ? (
        <EmptyState title="No notifications yet.">
          <p>
            Follow a <Link to="/discussions">discussion</Link> to hear about new replies.
          </p>
        </EmptyState>
      ) : (
        <ul className="nhsuk-list rt-thread-list">
          {items.map((n) => (
            <li key={n.id} className={`rt-thread-list__item${n.read_at ? "" : " rt-notification--unread"}`}>
              <p className="nhsuk-u-margin-bottom-1 rt-break">
                {n.read_at ? null : <strong className="nhsuk-tag nhsuk-tag--blue rt-tag-inline rt-tag-first">Unread</strong>}
                <span className="nhsuk-u-visually-hidden">{KIND_LABEL[n.kind] ?? "Notification"}: </span>
                <Link to={n.url}>{n.title}</Link>
              </p>
              <div className="rt-split-row">
                <p className="nhsuk-body-s nhsuk-u-margin-bottom-0">
                  {KIND_LABEL[n.kind] ?? "Notification"} · {formatDateTime(n.created_at)}
                </p>
                {n.read_at ? null : (
                  <Form method="post">
                    <input type="hidden" name="intent" value="read" />
                    <input type="hidden" name="id" value={n.id} />
                    <button type="submit" className="rt-link-button nhsuk-body-s nhsuk-u-margin-bottom-0">
                      Mark as read<span className="nhsuk-u-visually-hidden">: {n.title}</span>
                    </button>
                  </Form>
                )}
              </div>
            </li>
          ))}
        </ul>
      )}
      <ul className="rt-inline-links nhsuk-list">
        {page > 1 ? (
          <li>
            <Link to={page === 2 ? "/notifications" : `/notifications?page=${page - 1}`}>Newer notifications</Link>
          </li>
        ) : null}
        {hasMore ? (
          <li>
            <Link to={`/notifications?page=${page + 1}`}>Older notifications</Link>
          </li>
        ) : null}
      </ul>
    </Page>
  );
}

export const ErrorBoundary = RouteErrorBoundary;

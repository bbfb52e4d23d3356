import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Button } from "~/components/forms";
import { Page } from "~/components/Page";
import { RouteErrorBoundary } from "~/components/RouteErrorBoundary";
import { SubscribeBlock } from "~/components/events";
import { listMyRegistrations } from "~/models/events/registrations.server";
import { activeFeedToken, createFeedToken, revokeFeedTokens } from "~/models/events/feeds.server";
import { requireUser } from "~/utils/auth.server";
import { env } from "~/utils/env.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { longDate } from "~/utils/event-time";
import { keepRouteHeaders } from "~/utils/headers";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const [token, registrations] = await Promise.all([activeFeedToken(user), listMyRegistrations(user)]);
  return json({
    active: token ? { createdAt: token.created_at.slice(0, 10), lastUsed: token.last_used_at?.slice(0, 10) ?? null } : null,
    registrations: registrations.map((r) => ({ title: r.title, url: r.url, status: r.status, date: r.occurrence ? longDate(r.occurrence) : null })),
  });
}

export async function action({ request }: ActionFunctionArgs) {
  const user = await requireUser(request);
  const form = await request.formData();
  const intent = form.get("intent");
  if (intent === "create") {
    const token = await createFeedToken(user);
    // Shown once, in this response only: the database keeps just its SHA-256.
    return json({ feedUrl: `${env().APP_URL}/calendar/${token}.ics` }, { headers: { "Cache-Control": "no-store" } });
  }
  if (intent === "revoke") {
    await revokeFeedTokens(user);
    return redirectWithFlash("/account/calendar", "Your personal calendar address no longer works. Remove the subscription from your calendar app.");
  }
  return json({ feedUrl: null }, { status: 400 });
}

export const headers = keepRouteHeaders;

export const meta: MetaFunction = () => [{ title: "My calendar feed – Roundtable" }];

export default function AccountCalendar() {
  const data = useLoaderData<typeof loader>();
  const created = useActionData<typeof action>();
  return (
    <Page crumbs={[{ to: "/account", label: "Your account" }]}>
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <h1>My calendar feed</h1>
          <p>
            A private calendar address with the events you are going to (or waiting for) and the events of organisations you follow, including
            members-only events of your networks. Add it once to Outlook, Google Calendar or Apple Calendar and it stays up to date.
          </p>
          {created?.feedUrl ? (
            <>
              <div className="nhsuk-inset-text">
                <span className="nhsuk-u-visually-hidden">Information: </span>
                <p>
                  This is the only time we show this address. Copy it now; if you lose it, make a new one.
                </p>
              </div>
              <SubscribeBlock title="your personal calendar" feedUrl={created.feedUrl} personal />
            </>
          ) : data.active ? (
            <p>
              You have a personal calendar address, made on {longDate(data.active.createdAt)}
              {data.active.lastUsed ? ` and last read by a calendar app on ${longDate(data.active.lastUsed)}` : ""}. For your security we cannot show it again.
            </p>
          ) : (
            <p>You do not have a personal calendar address yet.</p>
          )}
          <Form method="post">
            <Button name="intent" value="create" variant={data.active ? "secondary" : undefined}>
              {data.active ? "Make a new address (the old one stops working)" : "Make my calendar address"}
            </Button>
          </Form>
          {data.active ? (
            <Form method="post">
              <Button name="intent" value="revoke" variant="warning">
                Turn off my calendar address
              </Button>
            </Form>
          ) : null}

          <h2>Events you are going to</h2>
          {data.registrations.length === 0 ? (
            <p>
              None yet. <Link to="/events">Find an event</Link>.
            </p>
          ) : (
            <ul className="nhsuk-list nhsuk-list--border">
              {data.registrations.map((r, i) => (
                <li key={i}>
                  <Link to={r.url}>{r.title}</Link>
                  {r.date ? <span className="nhsuk-body-s rt-meta"> · {r.date}</span> : null}
                  {r.status === "waitlisted" ? <span className="nhsuk-body-s rt-meta"> · waiting list</span> : null}
                </li>
              ))}
            </ul>
          )}
        </div>
      </div>
    </Page>
  );
}

export const ErrorBoundary = RouteErrorBoundary;

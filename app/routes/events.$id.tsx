import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { ConfirmAction, ConfirmLink, confirmHref, withoutConfirm } from "~/components/ConfirmAction";
import { Button } from "~/components/forms";
import { Page } from "~/components/Page";
import { RouteErrorBoundary } from "~/components/RouteErrorBoundary";
import { StatusTag } from "~/components/events";
import { RelatedDiscussions } from "~/components/RelatedDiscussions";
import { importedFrom, setImportedEventHidden } from "~/models/calendar-sources.server";
import { listThreadsAbout } from "~/models/discussions.server";
import { kindLabel, occurrenceUrl } from "~/models/events/shared.server";
import { findOccurrence, occurrencesOf } from "~/models/events/occurrences.server";
import { getEventForViewer, renderDescription } from "~/models/events/queries.server";
import { setEventStatus } from "~/models/events/writes.server";
import { listAttendees, registrationSummary, setRegistration, setSeriesRegistration, SERIES_DATES } from "~/models/events/registrations.server";
import { addToCalendarLinks } from "~/models/events/feeds.server";
import { getOptionalUser, requireUser } from "~/utils/auth.server";
import { env } from "~/utils/env.server";
import { describeWhen, isoWithOffset, shortWhen } from "~/utils/event-time";
import { redirectWithFlash } from "~/utils/flash.server";
import { markdownToPlainText } from "~/utils/markdown.server";
import { useNonce } from "~/utils/nonce";
import { topicLabel } from "~/utils/vocab";

function parseId(value: string | undefined): number | null {
  const id = Number(value);
  return Number.isInteger(id) && id > 0 ? id : null;
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const id = parseId(params.id);
  if (!id) throw new Response("Not found", { status: 404 });
  const user = await getOptionalUser(request);
  const details = await getEventForViewer({ id, user });
  if (!details) throw new Response("Not found", { status: 404 });
  const { event, topics, overrides, canManage } = details;
  const now = new Date();
  const recurring = event.recurrence !== null;
  const requested = new URL(request.url).searchParams.get("occurrence");
  let occ = recurring && requested ? findOccurrence(event, overrides, requested.slice(0, 40)) : undefined;
  if (recurring && requested && !occ) throw new Response("Not found", { status: 404 });
  const upcoming = recurring ? occurrencesOf(event, overrides, now, new Date(now.getTime() + 400 * 86_400_000), { includeCancelled: true, limit: 8 }) : [];
  if (!occ) occ = recurring ? (upcoming.find((o) => !o.cancelled) ?? upcoming[0] ?? findOccurrence(event, overrides, "")) : findOccurrence(event, overrides, "");
  if (!occ && recurring) {
    const all = occurrencesOf(event, overrides, new Date(event.start_utc), new Date(now.getTime()), { limit: 2000 });
    occ = all[all.length - 1];
  }
  if (!occ) throw new Response("Not found", { status: 404 });
  const summary = await registrationSummary({ eventId: event.id, occurrence: occ.occurrence, user });
  const attendees = canManage && user ? await listAttendees({ user, eventId: event.id, occurrence: occ.occurrence }) : undefined;
  const isPast = occ.endUtc <= now.toISOString();
  const registered = summary.mine === "going";
  const open = !event.registration_required;
  const showOnlineUrl = Boolean(event.online_url) && (open || !event.online_url_registrants_only || registered || canManage);
  const appUrl = env().APP_URL;
  const allDay = event.all_day;
  const cal = event.status === "draft" ? null : addToCalendarLinks(details);
  const online = !event.venue;
  const statusUrl: Record<string, string> = {
    scheduled: "https://schema.org/EventScheduled",
    postponed: "https://schema.org/EventPostponed",
    cancelled: "https://schema.org/EventCancelled",
    draft: "https://schema.org/EventScheduled",
  };
  const jsonLd = {
    "@context": "https://schema.org",
    "@type": "Event",
    name: event.title,
    description: markdownToPlainText(event.description, 500),
    startDate: isoWithOffset(occ.startLocal, event.time_zone),
    endDate: isoWithOffset(occ.endLocal, event.time_zone),
    eventStatus: occ.cancelled ? statusUrl.cancelled : statusUrl[event.status],
    eventAttendanceMode: online ? "https://schema.org/OnlineEventAttendanceMode" : event.online_url ? "https://schema.org/MixedEventAttendanceMode" : "https://schema.org/OfflineEventAttendanceMode",
    location: online
      ? { "@type": "VirtualLocation", url: event.online_url && !event.online_url_registrants_only ? event.online_url : `${appUrl}/events/${event.id}` }
      : {
          "@type": "Place",
          name: event.venue,
          address: { "@type": "PostalAddress", streetAddress: (event.address ?? "").split("\n").join(", "), postalCode: event.postcode ?? undefined, addressCountry: "GB" },
        },
    organizer: event.organisation_name ? { "@type": "Organization", name: event.organisation_name, url: `${appUrl}/organisations/${event.organisation_slug}` } : { "@type": "Organization", name: event.network_name, url: `${appUrl}/networks/${event.network_slug}` },
    url: `${appUrl}${occurrenceUrl(event.id, occ.occurrence)}`,
    ...(event.capacity ? { maximumAttendeeCapacity: event.capacity } : {}),
    isAccessibleForFree: true,
  };
  const [discussions, source] = await Promise.all([listThreadsAbout({ subjectType: "event", subjectId: event.id, user }), importedFrom(event.id)]);
  return json({
    discussions,
    importedFrom: source ? { name: source.source_name, url: source.external_url ?? `/organisations/${source.organisation_slug}`, hidden: source.hidden } : null,
    event: {
      id: event.id,
      title: event.title,
      kind: kindLabel(event.kind),
      status: event.status,
      cancelReason: event.status === "cancelled" ? (event.cancel_reason ?? null) : null,
      visibility: event.visibility,
      descriptionHtml: renderDescription(event.description),
      venue: event.venue,
      addressLines: (event.address ?? "").split("\n").filter(Boolean),
      postcode: event.postcode,
      onlineUrl: showOnlineUrl ? event.online_url : null,
      onlineHidden: Boolean(event.online_url) && !showOnlineUrl,
      capacity: event.capacity,
      open,
      access: [event.access_bsl ? "British Sign Language (BSL) interpreter" : null, event.access_captions ? "Live captions" : null, event.access_step_free ? "Step-free access" : null].filter((x): x is string => x !== null),
      accessibilityNotes: event.accessibility_notes,
      networkName: event.network_name,
      networkSlug: event.network_slug,
      organisationName: event.organisation_name,
      organisationSlug: event.organisation_slug,
      topics: topics.map((t) => ({ value: t, label: topicLabel(t) })),
      recurring,
      rrule: event.rrule,
    },
    occ: { ...occ, when: describeWhen(occ.startLocal, occ.endLocal, allDay, event.time_zone), isPast },
    upcoming: upcoming.map((o) => ({ occurrence: o.occurrence, when: shortWhen(o.startLocal, o.endLocal, allDay), cancelled: o.cancelled, moved: o.moved, url: occurrenceUrl(event.id, o.occurrence) })),
    summary,
    signedIn: Boolean(user),
    canManage,
    seriesDates: SERIES_DATES,
    attendees: attendees?.rows.map((r) => ({ name: r.name, organisation: r.organisation_name, status: r.status })) ?? null,
    cal,
    jsonLd,
    returnTo: `${new URL(request.url).pathname}${new URL(request.url).search}`,
    // "I can no longer go" and "Withdraw from every date" ask first (?confirm=…), without JavaScript.
    confirm: (["not-going", "not-going-series"] as const).find((c) => c === new URL(request.url).searchParams.get("confirm")) ?? null,
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const id = parseId(params.id);
  if (!id) throw new Response("Not found", { status: 404 });
  const user = await requireUser(request);
  const form = await request.formData();
  const intent = String(form.get("intent") ?? "");
  const occurrence = String(form.get("occurrence") ?? "").slice(0, 40);
  const back = occurrenceUrl(id, occurrence);
  if (intent === "going" || intent === "not-going") {
    const result = await setRegistration({ user, eventId: id, occurrence, going: intent === "going" });
    if (!result.ok) {
      if (result.error === "not-found") throw new Response("Not found", { status: 404 });
      return json({ error: result.error }, { status: 400 });
    }
    const message =
      result.status === "going" ? "You are going. We will email you a reminder the day before." : result.status === "waitlisted" ? "The event is full, so you are on the waiting list. We will email you if a place comes up." : "Thanks for letting us know you are not going.";
    return redirectWithFlash(back, message);
  }
  if (intent === "going-series" || intent === "not-going-series") {
    const result = await setSeriesRegistration({ user, eventId: id, going: intent === "going-series" });
    if (!result.ok) {
      if (result.error === "not-found") throw new Response("Not found", { status: 404 });
      return json({ error: result.error }, { status: 400 });
    }
    const dates = (n: number) => `${n} ${n === 1 ? "date" : "dates"}`;
    const message =
      intent === "not-going-series"
        ? result.withdrawn
          ? `You are no longer going to any date (${dates(result.withdrawn)} freed).`
          : "You were not registered for any date."
        : `You are going to ${dates(result.going)}${result.waitlisted ? ` and on the waiting list for ${dates(result.waitlisted)}` : ""}. We will email you a reminder the day before each.`;
    return redirectWithFlash(back, message);
  }
  // Cancelling asks for a reason first, on its own page (registrants are told it).
  if (intent === "cancel") {
    if (!(await getEventForViewer({ id, user }))?.canManage) throw new Response("Not found", { status: 404 });
    return redirect(`/events/${id}/cancel`);
  }
  if (intent === "postpone" || intent === "restore") {
    const status = intent === "postpone" ? "postponed" : "scheduled";
    if (!(await setEventStatus({ user, id, status }))) throw new Response("Not found", { status: 404 });
    const message = status === "postponed" ? "The event is marked as postponed. Everyone registered is being told." : "The event is back on. Everyone registered is being told.";
    return redirectWithFlash(back, message);
  }
  if (intent === "hide" || intent === "show") {
    if (!(await setImportedEventHidden({ user, eventId: id, hidden: intent === "hide" }))) throw new Response("Not found", { status: 404 });
    return redirectWithFlash(back, intent === "hide" ? "The event is hidden: only organisers see it, whatever its calendar does." : "The event is shown again.");
  }
  return json({ error: "Choose an action." }, { status: 400 });
}

export const links: LinksFunction = () => [{ rel: "alternate", type: "text/calendar", title: "Roundtable events (iCalendar)", href: "/events.ics" }];

export const meta: MetaFunction<typeof loader> = ({ data }) =>
  data
    ? [
        { title: `${data.event.title} – Events – Roundtable` },
        { name: "description", content: `${data.occ.when}. ${data.event.kind}.` },
        ...(data.cal ? [{ tagName: "link", rel: "alternate", type: "text/calendar", title: `${data.event.title} (iCalendar)`, href: data.cal.ics }] : []),
      ]
    : [{ title: "Event not found – Roundtable" }];

/** JSON-LD: `<` escaped so no value can close the script element; carries the CSP nonce. */
function JsonLd({ data }: { data: unknown }) {
  const nonce = useNonce();
  const text = JSON.stringify(data).replace(/</g, "\\u003c").replace(/\u2028/g, "\\u2028").replace(/\u2029/g, "\\u2029");
  return <script type="application/ld+json" nonce={nonce} suppressHydrationWarning dangerouslySetInnerHTML={{ __html: text }} />;
}

export default function EventPage() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { event, occ, summary } = data;
  const full = summary.capacity !== null && summary.going >= summary.capacity;
  const cancelled = event.status === "cancelled" || occ.cancelled;
  const back = withoutConfirm(data.returnTo);
  const canRegister = event.status !== "draft" && !cancelled && !occ.isPast && !event.open;
  return (
    <Page crumbs={[{ to: "/events", label: "Events" }]}>
      <JsonLd data={data.jsonLd} />
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <span className="nhsuk-caption-l">{event.kind}</span>
          <h1>
            {event.title} <StatusTag status={occ.cancelled ? "cancelled" : event.status} />
          </h1>
          {cancelled ? (
            <div className="nhsuk-warning-callout">
              <h2 className="nhsuk-warning-callout__label">
                <span role="text">
                  <span className="nhsuk-u-visually-hidden">Important: </span>Cancelled
                </span>
              </h2>
              <p>{occ.cancelled ? "This date has been cancelled. Other dates go ahead as planned." : "This event has been cancelled."}</p>
              {occ.note ? <p>{occ.note}</p> : null}
              {!occ.cancelled && event.cancelReason ? <p>The organiser's reason: {event.cancelReason}</p> : null}
            </div>
          ) : event.status === "postponed" ? (
            <div className="nhsuk-warning-callout">
              <h2 className="nhsuk-warning-callout__label">
                <span role="text">
                  <span className="nhsuk-u-visually-hidden">Important: </span>Postponed
                </span>
              </h2>
              <p>This event has been postponed. The new date will be shown here and in calendar feeds.</p>
            </div>
          ) : null}

          <dl className="nhsuk-summary-list">
            <div className="nhsuk-summary-list__row">
              <dt className="nhsuk-summary-list__key">When</dt>
              <dd className="nhsuk-summary-list__value">
                {occ.when}
                {occ.moved ? <span className="nhsuk-body-s rt-meta"> (moved from its usual time)</span> : null}
                {event.recurring ? <p className="nhsuk-body-s rt-meta nhsuk-u-margin-bottom-0">Repeats: see the dates below.</p> : null}
              </dd>
            </div>
            <div className="nhsuk-summary-list__row">
              <dt className="nhsuk-summary-list__key">Where</dt>
              <dd className="nhsuk-summary-list__value">
                {event.venue ? (
                  <address className="rt-address">
                    {event.venue}
                    {event.addressLines.map((l, i) => (
                      <span key={i}>
                        <br />
                        {l}
                      </span>
                    ))}
                    {event.postcode ? (
                      <>
                        <br />
                        {event.postcode}
                      </>
                    ) : null}
                  </address>
                ) : (
                  <p className="nhsuk-u-margin-bottom-0">Online</p>
                )}
                {event.onlineUrl ? (
                  <p className="nhsuk-u-margin-bottom-0">
                    <a href={event.onlineUrl} rel="noopener nofollow">
                      Join online<span className="nhsuk-u-visually-hidden">: {event.title}</span>
                    </a>
                  </p>
                ) : event.onlineHidden ? (
                  <p className="nhsuk-body-s nhsuk-u-margin-bottom-0">The link to join online is shown here once you have registered.</p>
                ) : null}
              </dd>
            </div>
            <div className="nhsuk-summary-list__row">
              <dt className="nhsuk-summary-list__key">Organised by</dt>
              <dd className="nhsuk-summary-list__value">
                {event.organisationSlug ? <Link to={`/organisations/${event.organisationSlug}`}>{event.organisationName}</Link> : null}
                {event.organisationSlug ? " for " : ""}
                <Link to={`/networks/${event.networkSlug}`}>{event.networkName}</Link>
              </dd>
            </div>
            {data.importedFrom ? (
              <div className="nhsuk-summary-list__row">
                <dt className="nhsuk-summary-list__key">Source</dt>
                <dd className="nhsuk-summary-list__value">
                  From <a href={data.importedFrom.url} rel="noopener nofollow">{data.importedFrom.name}</a>
                  {data.importedFrom.hidden ? <span className="nhsuk-body-s rt-meta"> (hidden by an organiser)</span> : null}
                  {data.canManage ? (
                    <Form method="post" className="rt-inline-form">
                      <input type="hidden" name="occurrence" value={occ.occurrence} />
                      <Button name="intent" value={data.importedFrom.hidden ? "show" : "hide"} variant="secondary">
                        {data.importedFrom.hidden ? "Show this event again" : "Hide this imported event"}
                      </Button>
                    </Form>
                  ) : null}
                </dd>
              </div>
            ) : null}
            {event.access.length || event.accessibilityNotes ? (
              <div className="nhsuk-summary-list__row">
                <dt className="nhsuk-summary-list__key">Access</dt>
                <dd className="nhsuk-summary-list__value">
                  {event.access.length ? (
                    <ul className="nhsuk-list nhsuk-list--bullet nhsuk-u-margin-bottom-1">
                      {event.access.map((a) => (
                        <li key={a}>{a}</li>
                      ))}
                    </ul>
                  ) : null}
                  {event.accessibilityNotes ? <p className="nhsuk-u-margin-bottom-0">{event.accessibilityNotes}</p> : null}
                </dd>
              </div>
            ) : null}
            <div className="nhsuk-summary-list__row">
              <dt className="nhsuk-summary-list__key">Places</dt>
              <dd className="nhsuk-summary-list__value">
                {summary.capacity === null ? "No limit" : full ? `Full (${summary.capacity} ${summary.capacity === 1 ? "place" : "places"}). ${summary.waitlisted} on the waiting list.` : `${summary.capacity - summary.going} of ${summary.capacity} left`}
              </dd>
            </div>
            {event.topics.length ? (
              <div className="nhsuk-summary-list__row">
                <dt className="nhsuk-summary-list__key">Topics</dt>
                <dd className="nhsuk-summary-list__value">
                  {event.topics.map((t, i) => (
                    <span key={t.value}>
                      {i > 0 ? ", " : ""}
                      <Link to={`/events?topic=${t.value}`}>{t.label}</Link>
                    </span>
                  ))}
                </dd>
              </div>
            ) : null}
          </dl>

          <div className="rt-markdown" dangerouslySetInnerHTML={{ __html: event.descriptionHtml }} />

          <section aria-labelledby="register-heading" className="rt-register">
            <h2 id="register-heading">{event.open ? "How to join" : "Are you going?"}</h2>
            {actionData && "error" in actionData ? (
              <div className="nhsuk-error-summary" tabIndex={-1}>
                <div role="alert">
                  <h3 className="nhsuk-error-summary__title">There is a problem</h3>
                  <p className="nhsuk-error-summary__body">{actionData.error}</p>
                </div>
              </div>
            ) : null}
            {summary.mine === "going" ? <p className="nhsuk-body-l">You are going.</p> : null}
            {summary.mine === "waitlisted" ? <p className="nhsuk-body-l">You are number {summary.myPosition} on the waiting list.</p> : null}
            {summary.mine === "not-going" ? <p>You said you are not going.</p> : null}
            {event.open && !cancelled && !occ.isPast ? (
              <p className="nhsuk-body-l">No registration needed — join online{event.onlineUrl ? <>: <a href={event.onlineUrl}>{event.onlineUrl}</a></> : null}.</p>
            ) : !canRegister ? (
              <p>{occ.isPast ? "This event has taken place." : cancelled ? "You cannot register for a cancelled event." : "Registration opens when the event is published."}</p>
            ) : !data.signedIn ? (
              <p>
                <Link to={`/sign-in?redirectTo=${encodeURIComponent(data.returnTo)}`}>Sign in</Link> or <Link to="/sign-up">create an account</Link> to register.
              </p>
            ) : (
              (summary.mine === "going" || summary.mine === "waitlisted") && data.confirm === "not-going" ? (
                <ConfirmAction
                  heading={summary.mine === "going" ? "Are you sure you can no longer go?" : "Leave the waiting list?"}
                  fields={{ intent: "not-going", occurrence: occ.occurrence }}
                  confirmLabel={summary.mine === "going" ? "Yes, cancel my place" : "Yes, leave the waiting list"}
                  backTo={back}
                >
                  <p>
                    {summary.mine === "going"
                      ? `Your place at ${event.title} on ${occ.when} is given up, and may go to the next person on the waiting list. You would have to register again, and there may be no place left.`
                      : `You lose your place (number ${summary.myPosition}) on the waiting list for ${event.title} on ${occ.when}. If you join again, you go to the back.`}
                  </p>
                </ConfirmAction>
              ) : (
                <Form method="post" className="rt-button-row">
                  <input type="hidden" name="occurrence" value={occ.occurrence} />
                  {summary.mine !== "going" && summary.mine !== "waitlisted" ? (
                    <Button name="intent" value="going">
                      {full ? "Join the waiting list" : "I'm going"}
                    </Button>
                  ) : null}
                  {summary.mine === "going" || summary.mine === "waitlisted" ? (
                    <ConfirmLink to={confirmHref(data.returnTo, "not-going", event.recurring ? { occurrence: occ.occurrence } : {})} variant="secondary">
                      {summary.mine === "going" ? "I can no longer go" : "Leave the waiting list"}
                    </ConfirmLink>
                  ) : summary.mine !== "not-going" ? (
                    <Button name="intent" value="not-going" variant="secondary">
                      I&apos;m not going
                    </Button>
                  ) : null}
                </Form>
              )
            )}
            {canRegister && data.signedIn && event.recurring ? (
              <>
                <p className="nhsuk-body-s nhsuk-u-margin-bottom-2">This event repeats. You can register for this date only (above), or for every date (the next {data.seriesDates}).</p>
                {data.confirm === "not-going-series" ? (
                  <ConfirmAction heading="Withdraw from every date?" fields={{ intent: "not-going-series", occurrence: occ.occurrence }} confirmLabel="Yes, withdraw from every date" backTo={back}>
                    <p>You give up your place or waiting-list place at every coming date of {event.title}. You would have to register again, and there may be no places left.</p>
                  </ConfirmAction>
                ) : (
                  <Form method="post" className="rt-button-row">
                    <input type="hidden" name="occurrence" value={occ.occurrence} />
                    <Button name="intent" value="going-series" variant="secondary">
                      Register for every date
                    </Button>
                    <ConfirmLink to={confirmHref(data.returnTo, "not-going-series", { occurrence: occ.occurrence })} variant="secondary">
                      Withdraw from every date
                    </ConfirmLink>
                  </Form>
                )}
              </>
            ) : null}
          </section>

          {data.upcoming.length > 1 ? (
            <section aria-labelledby="dates-heading">
              <h2 id="dates-heading">Next dates</h2>
              <ul className="nhsuk-list">
                {data.upcoming.map((o) => (
                  <li key={o.occurrence}>
                    {o.occurrence === occ.occurrence ? (
                      <strong>{o.when} (this date)</strong>
                    ) : (
                      <Link to={o.url}>{o.when}</Link>
                    )}
                    {o.cancelled ? " – cancelled" : ""}
                    {o.moved ? " – moved" : ""}
                  </li>
                ))}
              </ul>
            </section>
          ) : null}
        </div>

        <div className="nhsuk-grid-column-one-third">
          {data.cal ? (
            <section className="nhsuk-card" aria-labelledby="add-heading">
              <div className="nhsuk-card__content">
                <h2 className="nhsuk-card__heading nhsuk-heading-s" id="add-heading">
                  Add to your calendar
                </h2>
                <ul className="nhsuk-list nhsuk-body-s">
                  <li>
                    <a href={data.cal.ics} download>
                      Download for Apple Calendar or Outlook (.ics)
                    </a>
                  </li>
                  <li>
                    <a href={data.cal.google} rel="noopener noreferrer" target="_blank">
                      Add to Google Calendar<span className="nhsuk-u-visually-hidden"> (opens in a new tab)</span>
                    </a>
                  </li>
                  <li>
                    <a href={data.cal.outlook} rel="noopener noreferrer" target="_blank">
                      Add to Outlook.com or Microsoft 365<span className="nhsuk-u-visually-hidden"> (opens in a new tab)</span>
                    </a>
                  </li>
                </ul>
                <p className="nhsuk-body-s">
                  Or <Link to="/events">subscribe to the events calendar</Link> so changes reach you.
                </p>
              </div>
            </section>
          ) : null}

          {data.canManage ? (
            <section className="nhsuk-card" aria-labelledby="manage-heading">
              <div className="nhsuk-card__content">
                <h2 className="nhsuk-card__heading nhsuk-heading-s" id="manage-heading">
                  Manage this event
                </h2>
                <ul className="nhsuk-list nhsuk-body-s">
                  <li>
                    <Link to={`/events/${event.id}/edit`}>Edit the event</Link>
                  </li>
                  {event.recurring ? (
                    <li>
                      <Link to={`/events/${event.id}/occurrences/${encodeURIComponent(occ.occurrence)}`}>Change or cancel this date only</Link>
                    </li>
                  ) : null}
                </ul>
                <Form method="post">
                  <input type="hidden" name="occurrence" value={occ.occurrence} />
                  {event.status === "scheduled" ? (
                    <>
                      <Button name="intent" value="postpone" variant="secondary">
                        Postpone the event
                      </Button>
                      <Link to={`/events/${event.id}/cancel`} className="nhsuk-button nhsuk-button--warning" role="button" draggable="false">
                        {event.recurring ? "Cancel the whole series" : "Cancel the event"}
                      </Link>
                    </>
                  ) : event.status === "postponed" || event.status === "cancelled" ? (
                    <Button name="intent" value="restore" variant="secondary">
                      Put the event back on
                    </Button>
                  ) : null}
                </Form>
              </div>
            </section>
          ) : null}
        </div>
      </div>

      {data.attendees ? (
        <section aria-labelledby="attendees-heading">
          <h2 id="attendees-heading">Who is coming ({summary.going} going, {summary.waitlisted} waiting)</h2>
          {data.attendees.length === 0 ? (
            <p>Nobody has registered for this date yet.</p>
          ) : (
            <table className="nhsuk-table">
              <caption className="nhsuk-table__caption nhsuk-u-visually-hidden">People registered for this date</caption>
              <thead className="nhsuk-table__head">
                <tr className="nhsuk-table__row">
                  <th className="nhsuk-table__header" scope="col">
                    Name
                  </th>
                  <th className="nhsuk-table__header" scope="col">
                    Organisation
                  </th>
                  <th className="nhsuk-table__header" scope="col">
                    Status
                  </th>
                </tr>
              </thead>
              <tbody className="nhsuk-table__body">
                {data.attendees.map((a, i) => (
                  <tr className="nhsuk-table__row" key={i}>
                    <td className="nhsuk-table__cell">{a.name}</td>
                    <td className="nhsuk-table__cell">{a.organisation ?? ""}</td>
                    <td className="nhsuk-table__cell">{a.status === "going" ? "Going" : "Waiting list"}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          <p>
            <a href={`/events/${event.id}/attendees.csv${occ.occurrence ? `?occurrence=${encodeURIComponent(occ.occurrence)}` : ""}`} download>
              Download the attendee list (CSV)
            </a>
          </p>
        </section>
      ) : null}
      {event.status !== "draft" ? <RelatedDiscussions threads={data.discussions} about={`event:${event.id}`} /> : null}
    </Page>
  );
}

export const ErrorBoundary = RouteErrorBoundary;

import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { formatDateTime } from "~/components/Discussions";
import { Page } from "~/components/Page";
import { RouteErrorBoundary } from "~/components/RouteErrorBoundary";
import { Button, ErrorSummary, Select, TextInput } from "~/components/forms";
import { calendarImportAccess } from "~/models/access.server";
import { addSource, decideSource, listSources, removeSource, requestRefresh } from "~/models/calendar-sources.server";
import { getOrganisationForViewer, listOrganisationNetworks, parseId } from "~/models/organisations.server";
import { requireUser } from "~/utils/auth.server";
import { redirectWithFlash } from "~/utils/flash.server";
import { formToObject, keepValues, parseForm } from "~/utils/forms";
import { EVENT_KINDS } from "~/utils/vocab";
import { CALENDAR_SOURCE_FIELD_ORDER, calendarSourceFormSchema } from "~/validation/calendar-sources";

/** The organisation and the user's rights over its imported calendars; 404 for anyone who may not manage them. */
async function requireCalendarManager(request: Request, slug: string) {
  const user = await requireUser(request);
  const found = await getOrganisationForViewer(slug, user);
  if (!found || found.org.status !== "approved") throw new Response("Not found", { status: 404 });
  const access = await calendarImportAccess(user, found.org);
  if (!access.canManage) throw new Response("Not found", { status: 404 });
  return { user, org: found.org, access };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { org, access } = await requireCalendarManager(request, params.slug ?? "");
  const [sources, networks] = await Promise.all([listSources(org.id), listOrganisationNetworks(org.id)]);
  return json({
    organisation: { slug: org.slug, name: org.name },
    networks: networks.map((n) => ({ id: n.id, name: n.name, direct: access.organiserNetworkIds.includes(n.id) })),
    sources: sources.map((s) => ({
      id: s.id,
      url: s.url,
      name: s.name,
      keywords: s.keywords,
      kind: EVENT_KINDS.find((k) => k.value === s.kind)?.label ?? s.kind,
      status: s.status,
      networkName: s.network_name,
      addedBy: s.added_by_name,
      lastFetchedAt: s.last_fetched_at,
      lastSuccessAt: s.last_success_at,
      lastError: s.last_error,
      notes: s.notes,
      eventsImported: s.events_imported,
      canDecide: s.status === "pending" && access.organiserNetworkIds.includes(s.network_id),
    })),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, org } = await requireCalendarManager(request, params.slug ?? "");
  const form = await request.formData();
  const intent = form.get("intent");
  const here = `/organisations/${org.slug}/calendars`;
  if (intent === "add") {
    const values = formToObject(form);
    const parsed = parseForm(calendarSourceFormSchema, values);
    if (!parsed.ok) return json({ errors: parsed.errors, values: keepValues(values) }, { status: 400 });
    const result = await addSource({ user, org, input: parsed.data });
    if (!result.ok) return json({ errors: result.errors, values: keepValues(values) }, { status: 400 });
    return redirectWithFlash(
      `${here}#source-${result.id}`,
      result.status === "approved"
        ? "The calendar is added. Its events are imported within a few minutes, then every hour."
        : "The calendar is added. Its events are imported as drafts within a few minutes and published once a network organiser approves the calendar.",
    );
  }
  const sourceId = parseId(String(form.get("sourceId") ?? ""));
  if (sourceId === null) throw new Response("Not found", { status: 404 });
  let done = false;
  let message = "";
  if (intent === "refresh") {
    done = await requestRefresh({ user, org, sourceId });
    message = "The calendar will be fetched again within a few minutes.";
  } else if (intent === "remove") {
    done = await removeSource({ user, org, sourceId });
    message = "The calendar is removed. Its events are cancelled, so calendars subscribed to ours drop them.";
  } else if (intent === "approve" || intent === "reject") {
    done = await decideSource({ user, organisationId: org.id, sourceId, approve: intent === "approve" });
    message = intent === "approve" ? "The calendar is approved: its events are published." : "The calendar is rejected and its draft events removed.";
  } else {
    throw new Response("Unknown action", { status: 400 });
  }
  if (!done) throw new Response("Not found", { status: 404 });
  return redirectWithFlash(here, message);
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `Imported calendars – ${data.organisation.name} – Roundtable` : "Imported calendars – Roundtable" }];

const STATUS_TAG: Record<string, { label: string; className: string }> = {
  approved: { label: "Published", className: "nhsuk-tag--green" },
  pending: { label: "Waiting for approval", className: "nhsuk-tag--yellow" },
  rejected: { label: "Rejected", className: "nhsuk-tag--grey" },
};

export default function ImportedCalendars() {
  const { organisation, networks, sources } = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>();
  const errors: Partial<Record<string, string>> | undefined = data?.errors;
  const values: Partial<Record<string, unknown>> = data?.values ?? {};
  const value = (name: string) => (typeof values[name] === "string" ? String(values[name]) : undefined);
  return (
    <Page
      crumbs={[
        { to: "/organisations", label: "Organisations" },
        { to: `/organisations/${organisation.slug}`, label: organisation.name },
      ]}
    >
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <span className="nhsuk-caption-l">{organisation.name}</span>
          <h1>Imported calendars</h1>
          <p>
            Bring in events {organisation.name} or its partners already publish in Outlook, Google Calendar, Apple Calendar, Eventbrite or another
            Roundtable. We check each calendar every hour: changes there update the events here, and events removed there are cancelled here.
          </p>

          <h2 id="sources">Calendars</h2>
          {sources.length === 0 ? <p>No calendars are imported yet.</p> : null}
          {sources.map((s) => (
            <div key={s.id} id={`source-${s.id}`} className="nhsuk-card">
              <div className="nhsuk-card__content">
                <h3 className="nhsuk-card__heading nhsuk-heading-s">
                  {s.name} <strong className={`nhsuk-tag ${STATUS_TAG[s.status]?.className ?? ""}`}>{STATUS_TAG[s.status]?.label ?? s.status}</strong>
                </h3>
                <dl className="nhsuk-summary-list">
                  <div className="nhsuk-summary-list__row">
                    <dt className="nhsuk-summary-list__key">Address</dt>
                    <dd className="nhsuk-summary-list__value">{s.url}</dd>
                  </div>
                  <div className="nhsuk-summary-list__row">
                    <dt className="nhsuk-summary-list__key">Into</dt>
                    <dd className="nhsuk-summary-list__value">
                      {s.networkName}, as {s.kind.toLowerCase()}
                      {s.keywords ? ` events matching: ${s.keywords}` : " events"}
                    </dd>
                  </div>
                  <div className="nhsuk-summary-list__row">
                    <dt className="nhsuk-summary-list__key">Last fetched</dt>
                    <dd className="nhsuk-summary-list__value">{s.lastFetchedAt ? formatDateTime(s.lastFetchedAt) : "Not yet: the first import runs within a few minutes."}</dd>
                  </div>
                  <div className="nhsuk-summary-list__row">
                    <dt className="nhsuk-summary-list__key">Events imported</dt>
                    <dd className="nhsuk-summary-list__value">{s.eventsImported}</dd>
                  </div>
                  {s.lastError ? (
                    <div className="nhsuk-summary-list__row">
                      <dt className="nhsuk-summary-list__key">Problem</dt>
                      <dd className="nhsuk-summary-list__value">
                        <span className="nhsuk-error-message rt-source-error">{s.lastError}</span>
                        {s.lastSuccessAt ? ` The events from the last good import (${formatDateTime(s.lastSuccessAt)}) are kept.` : null}
                      </dd>
                    </div>
                  ) : null}
                  {s.notes.length ? (
                    <div className="nhsuk-summary-list__row">
                      <dt className="nhsuk-summary-list__key">Notes</dt>
                      <dd className="nhsuk-summary-list__value">
                        <ul className="nhsuk-list nhsuk-body-s">
                          {s.notes.map((n) => (
                            <li key={n}>{n}</li>
                          ))}
                        </ul>
                      </dd>
                    </div>
                  ) : null}
                </dl>
                <div className="rt-button-row">
                  {s.canDecide ? (
                    <>
                      <Form method="post" className="rt-inline-form">
                        <input type="hidden" name="sourceId" value={s.id} />
                        <Button name="intent" value="approve">
                          Approve and publish
                        </Button>
                      </Form>
                      <Form method="post" className="rt-inline-form">
                        <input type="hidden" name="sourceId" value={s.id} />
                        <Button name="intent" value="reject" variant="secondary">
                          Reject
                        </Button>
                      </Form>
                    </>
                  ) : null}
                  <Form method="post" className="rt-inline-form">
                    <input type="hidden" name="sourceId" value={s.id} />
                    <Button name="intent" value="refresh" variant="secondary">
                      Fetch again soon
                    </Button>
                  </Form>
                  <Form method="post" className="rt-inline-form">
                    <input type="hidden" name="sourceId" value={s.id} />
                    <Button name="intent" value="remove" variant="secondary">
                      Remove
                    </Button>
                  </Form>
                </div>
                {s.status === "pending" && !s.canDecide ? <p className="nhsuk-body-s">An organiser of {s.networkName} will check this calendar before its events are published.</p> : null}
              </div>
            </div>
          ))}

          <h2 id="add">Add a calendar</h2>
          <ErrorSummary errors={errors} order={CALENDAR_SOURCE_FIELD_ORDER} />
          <Form method="post" noValidate action={`/organisations/${organisation.slug}/calendars#add`}>
            <input type="hidden" name="intent" value="add" />
            <TextInput
              name="url"
              type="url"
              label="The calendar's address"
              hint="Its iCal (.ics) link, for example from Outlook's 'Publish calendar', Google Calendar's 'Public address in iCal format' or Eventbrite's organiser calendar. webcal:// links work too."
              error={errors?.url}
              defaultValue={value("url")}
              spellCheck={false}
              autoComplete="off"
            />
            <TextInput
              name="keywords"
              label="Keywords (optional)"
              hint="Import only events whose title, description or place contains one of these words, separated by commas. Leave empty to import every event."
              error={errors?.keywords}
              defaultValue={value("keywords")}
            />
            <Select
              name="networkId"
              label="Network"
              hint={networks.some((n) => !n.direct) ? "Calendars added to a network where you are not an organiser wait for an organiser's approval." : undefined}
              error={errors?.networkId}
              defaultValue={value("networkId") ?? (networks.length === 1 ? String(networks[0].id) : "")}
              options={[...(networks.length === 1 ? [] : [{ value: "", label: "Choose a network" }]), ...networks.map((n) => ({ value: String(n.id), label: n.direct ? n.name : `${n.name} (needs approval)` }))]}
            />
            <Select
              name="kind"
              label="Kind of events"
              error={errors?.kind}
              defaultValue={value("kind") ?? "workshop"}
              options={EVENT_KINDS.map((k) => ({ value: k.value, label: k.label }))}
            />
            <Button>Add the calendar</Button>
          </Form>
          <p>
            <Link to={`/organisations/${organisation.slug}`}>Back to {organisation.name}</Link>
          </p>
        </div>
      </div>
    </Page>
  );
}

export const ErrorBoundary = RouteErrorBoundary;

/** Event pieces shared by the calendar pages (client-safe: no server imports). */
import { Form } from "@remix-run/react";
import { Button, Checkboxes, Radios, Select, TextInput, Textarea, type FieldErrors } from "./forms";
import { DistanceTag, NearFields } from "./NearFields";
import { OrganisationSearch } from "./OrganisationSearch";
import { PrevNextPagination } from "./Pagination";
import { EVENT_KINDS, TOPICS } from "~/utils/vocab";
import { ACCESS_FEATURES, ADDRESS_MAX, DESCRIPTION_MAX, REPEAT_OPTIONS, TITLE_MAX } from "~/validation/events";
import { ListLink } from "./ListLink";

export type ListItem = {
  eventId: number;
  occurrence: string;
  title: string;
  kindLabel: string;
  status: string;
  visibility: string;
  when: string;
  place: string;
  networkName: string;
  organisationName: string | null;
  recurring: boolean;
  moved: boolean;
  url: string;
  /** Near a postcode: miles away (null when it has no place), and whether it is online. */
  miles?: number | null;
  online?: boolean;
};

export function StatusTag({ status }: { status: string }) {
  if (status === "cancelled") return <strong className="nhsuk-tag nhsuk-tag--red">Cancelled</strong>;
  if (status === "postponed") return <strong className="nhsuk-tag nhsuk-tag--orange">Postponed</strong>;
  if (status === "draft") return <strong className="nhsuk-tag nhsuk-tag--grey">Draft</strong>;
  return null;
}

/** Occurrences as a list of links with their time and place; each heading is the event title. */
export function OccurrenceList({ items, headingLevel = 2 }: { items: ListItem[]; headingLevel?: 2 | 3 }) {
  const H = headingLevel === 2 ? "h2" : "h3";
  return (
    <ul className="nhsuk-list rt-event-list">
      {items.map((item) => (
        <li key={`${item.eventId}-${item.occurrence}`} className="rt-event-list__item">
          <H className="nhsuk-heading-s rt-event-list__title">
            <ListLink to={item.url}>{item.title}</ListLink>
          </H>
          <p className="nhsuk-body-s rt-event-list__when">
            {item.when}
            {item.moved ? " (moved)" : ""}
          </p>
          <p className="nhsuk-body-s rt-meta">
            {item.miles !== undefined ? (
              <>
                <DistanceTag miles={item.miles} online={item.online ?? false} />{" "}
              </>
            ) : null}
            {item.kindLabel} · {item.place} · {item.organisationName ?? item.networkName}
            {item.recurring ? " · Repeats" : ""}
            {item.visibility === "members" ? " · Members only" : ""}
          </p>
          <StatusTag status={item.status} />
        </li>
      ))}
    </ul>
  );
}

/**
 * The "Subscribe" block every page listing events shows: webcal:// opens the calendar app
 * directly, https:// is for pasting into Google Calendar or Outlook on the web.
 */
export function SubscribeBlock({ title, feedUrl, personal = false }: { title: string; feedUrl: string; personal?: boolean }) {
  const webcal = feedUrl.replace(/^https?:\/\//, "webcal://");
  return (
    <section className="nhsuk-card rt-subscribe" aria-labelledby="subscribe-heading">
      <div className="nhsuk-card__content">
        <h2 className="nhsuk-card__heading nhsuk-heading-s" id="subscribe-heading">
          Subscribe to {title}
        </h2>
        <p className="nhsuk-body-s">
          Follow these events in your own calendar: it updates by itself when events are added, moved or cancelled.
          {personal ? " Keep this address private: anyone with it can see your events." : ""}
        </p>
        <ul className="nhsuk-list nhsuk-body-s">
          <li>
            <a href={webcal}>Open in your calendar app</a> (Apple Calendar, Outlook on a computer)
          </li>
          <li>
            Or copy this address: <code className="rt-feed-url">{feedUrl}</code>
          </li>
        </ul>
        <details className="nhsuk-details">
          <summary className="nhsuk-details__summary">
            <span className="nhsuk-details__summary-text">How to subscribe in Outlook, Google or Apple Calendar</span>
          </summary>
          <div className="nhsuk-details__text">
            <ul className="nhsuk-body-s">
              <li>
                <strong>Outlook</strong>: Calendar, Add calendar, Subscribe from web, paste the address.
              </li>
              <li>
                <strong>Google Calendar</strong>: Other calendars, the + button, From URL, paste the address.
              </li>
              <li>
                <strong>Apple Calendar</strong>: File, New Calendar Subscription, paste the address (or use the link above).
              </li>
            </ul>
            <p className="nhsuk-body-s">Times are UK time and stay right when the clocks change.</p>
          </div>
        </details>
      </div>
    </section>
  );
}

export type Option = { value: string; label: string };

/** The filters of the list and month pages: a plain GET form, so it works without JavaScript. */
export function EventFilterForm({
  action,
  values,
  networks,
  showDates = true,
  hidden = {},
  near,
}: {
  action: string;
  values: Record<string, string>;
  networks: Option[];
  showDates?: boolean;
  hidden?: Record<string, string>;
  /** Offer "near a postcode" (the upcoming list does). */
  near?: { text: string; within: number; error: string | null };
}) {
  return (
    <Form method="get" action={action} className="rt-event-filters">
      {Object.entries(hidden).map(([k, v]) => (
        <input key={k} type="hidden" name={k} value={v} />
      ))}
      <h2 className="nhsuk-heading-s">Filter events</h2>
      {near ? <NearFields near={near.text} within={near.within} error={near.error} hint="Nearest first, with the distance; online events after. For example, PR1 2HE" /> : null}
      <Select name="network" label="Network" defaultValue={values.network ?? ""} options={[{ value: "", label: "All networks" }, ...networks]} />
      <Select name="kind" label="Kind of event" defaultValue={values.kind ?? ""} options={[{ value: "", label: "All kinds" }, ...EVENT_KINDS]} />
      <Select name="topic" label="Topic" defaultValue={values.topic ?? ""} options={[{ value: "", label: "All topics" }, ...TOPICS]} />
      <OrganisationSearch defaultValue={values.organisation} suggestionsUrl="/api/organisation-suggestions?events=1" />
      {showDates ? (
        <>
          <TextInput name="from" label="From" type="date" defaultValue={values.from} />
          <TextInput name="to" label="To" type="date" defaultValue={values.to} />
        </>
      ) : null}
      <Button variant="secondary">Apply filters</Button>
    </Form>
  );
}

export type EventFormValues = Record<string, string | string[]>;

function str(values: EventFormValues, key: string): string | undefined {
  const v = values[key];
  return typeof v === "string" ? v : undefined;
}

function arr(values: EventFormValues, key: string): string[] {
  const v = values[key];
  return Array.isArray(v) ? v : typeof v === "string" && v ? [v] : [];
}

/** Every field of the create and edit forms, with errors and what the user typed. */
export function EventFields({
  values,
  errors,
  networks,
  organisations,
  isNew,
}: {
  values: EventFormValues;
  errors?: FieldErrors;
  networks: Array<{ id: number; name: string }>;
  organisations: Array<{ id: number; name: string }>;
  isNew: boolean;
}) {
  const e = errors ?? {};
  return (
    <>
      <h2 className="nhsuk-heading-m">About the event</h2>
      <TextInput name="title" label="Title" error={e.title} defaultValue={str(values, "title")} maxLength={TITLE_MAX + 50} />
      <Select name="kind" label="Kind of event" error={e.kind} defaultValue={str(values, "kind") ?? "round-table"} options={[...EVENT_KINDS]} />
      <Textarea
        name="description"
        label="Description"
        hint="What will happen, who it is for, and how to take part. You can use Markdown: **bold**, lists with -, links."
        error={e.description}
        defaultValue={str(values, "description")}
        rows={8}
        maxLength={DESCRIPTION_MAX + 100}
      />
      <Select
        name="networkId"
        label="Network"
        hint="The network whose calendar it appears in."
        error={e.networkId}
        defaultValue={str(values, "networkId")}
        options={networks.map((n) => ({ value: String(n.id), label: n.name }))}
      />
      <Select
        name="organisationId"
        label="Organising organisation (optional)"
        error={e.organisationId}
        defaultValue={str(values, "organisationId") ?? ""}
        options={[{ value: "", label: "None" }, ...organisations.map((o) => ({ value: String(o.id), label: o.name }))]}
      />
      <Checkboxes name="topics" label="Topics" error={e.topics} small defaultValues={arr(values, "topics")} options={TOPICS.map((t) => ({ value: t.value, label: t.label }))} />

      <h2 className="nhsuk-heading-m">When (UK time)</h2>
      <p className="nhsuk-body-s">Enter times as people in the UK will read them: we adjust for British Summer Time.</p>
      <Checkboxes name="allDay" label="All day" small defaultValues={str(values, "allDay") === "yes" ? ["yes"] : []} options={[{ value: "yes", label: "This is an all-day event", hint: "The times below are then ignored." }]} />
      <div className="rt-date-time">
        <TextInput name="startDate" label="Start date" type="date" error={e.startDate} defaultValue={str(values, "startDate")} />
        <TextInput name="startTime" label="Start time" hint="For example 20:00" type="time" error={e.startTime} defaultValue={str(values, "startTime")} />
      </div>
      <div className="rt-date-time">
        <TextInput name="endDate" label="End date" hint="Leave empty if it ends the same day" type="date" error={e.endDate} defaultValue={str(values, "endDate")} />
        <TextInput name="endTime" label="End time" hint="For example 21:00" type="time" error={e.endTime} defaultValue={str(values, "endTime")} />
      </div>
      <Select name="repeat" label="Repeats" error={e.repeat} defaultValue={str(values, "repeat") ?? "none"} options={[...REPEAT_OPTIONS]} />
      <Radios
        name="repeatEnd"
        label="If it repeats, until when?"
        small
        defaultValue={str(values, "repeatEnd") ?? "never"}
        options={[
          { value: "never", label: "No end date" },
          { value: "until", label: "Until a date (enter it below)" },
          { value: "count", label: "A number of times (enter it below)" },
        ]}
      />
      <div className="rt-date-time">
        <TextInput name="until" label="Last date" type="date" error={e.until} defaultValue={str(values, "until")} />
        <TextInput name="count" label="Number of times" type="text" inputMode="numeric" width={3} error={e.count} defaultValue={str(values, "count")} />
      </div>

      <h2 className="nhsuk-heading-m">Where</h2>
      <TextInput name="venue" label="Venue" hint="Leave empty for an online-only event." error={e.venue} defaultValue={str(values, "venue")} />
      <Textarea name="address" label="Address" hint="One line each; no need to repeat the venue." error={e.address} defaultValue={str(values, "address")} rows={3} maxLength={ADDRESS_MAX + 50} />
      <TextInput name="postcode" label="Postcode" width={10} error={e.postcode} defaultValue={str(values, "postcode")} autoComplete="off" />
      <TextInput name="onlineUrl" label="Online link (optional)" hint="The link to join, starting with https://" type="url" spellCheck={false} error={e.onlineUrl} defaultValue={str(values, "onlineUrl")} />
      <Checkboxes
        name="onlineRegistrantsOnly"
        label="Who sees the online link"
        small
        defaultValues={str(values, "onlineRegistrantsOnly") === "yes" ? ["yes"] : []}
        options={[{ value: "yes", label: "Show the link only to people who have registered" }]}
      />

      <h2 className="nhsuk-heading-m">Places and access</h2>
      <Checkboxes
        name="openEvent"
        label="Registration"
        small
        defaultValues={str(values, "openEvent") === "yes" ? ["yes"] : []}
        options={[{ value: "yes", label: "Open event: no registration needed (anyone can join, the online link is shown to everyone, no limit on places)" }]}
      />
      <TextInput name="capacity" label="Number of places (optional)" hint="When it is full, people join a waiting list and get a place automatically if one frees up." inputMode="numeric" width={5} error={e.capacity} defaultValue={str(values, "capacity")} />
      <Checkboxes name="access" label="Access" small error={e.access} defaultValues={arr(values, "access")} options={ACCESS_FEATURES.map((a) => ({ value: a.value, label: a.label }))} />
      <Textarea name="accessibilityNotes" label="Accessibility notes (optional)" hint="For example hearing loop, quiet room, parking." error={e.accessibilityNotes} defaultValue={str(values, "accessibilityNotes")} rows={3} />

      <h2 className="nhsuk-heading-m">Publishing</h2>
      <Radios
        name="visibility"
        label="Who can see it"
        error={e.visibility}
        defaultValue={str(values, "visibility") ?? "public"}
        options={[
          { value: "public", label: "Everyone", hint: "Listed publicly and in the public calendar feeds." },
          { value: "members", label: "Network members only", hint: "Never in public feeds; members see it in their personal feed." },
        ]}
      />
      {isNew || str(values, "status") === "draft" ? (
        <Radios
          name="publish"
          label="Publish now?"
          error={e.publish}
          defaultValue={str(values, "publish") ?? "scheduled"}
          options={[
            { value: "scheduled", label: "Publish now" },
            { value: "draft", label: "Save as a draft", hint: "Only the network's organisers can see drafts." },
          ]}
        />
      ) : (
        <input type="hidden" name="publish" value="scheduled" />
      )}
    </>
  );
}

/** Previous/next through the events list. */
export function Pager({ prev, next }: { prev?: string | null; next?: string | null }) {
  return (
    <PrevNextPagination
      label="Pagination"
      previous={prev ? { to: prev, text: "Earlier events" } : null}
      next={next ? { to: next, text: "More events" } : null}
    />
  );
}

import type { HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { filterQuery, listMonth, listUpcoming, resolveFilters } from "~/models/events/queries.server";
import { env } from "~/utils/env.server";
import { longDate } from "~/utils/event-time";
import { utcToLocal } from "~/utils/recurrence";

// A compact list of public upcoming events (or one month of them) for partners to frame on
// their own sites: /embed/events?network=…&organisation=…&topic=…&kind=…&view=month&month=2026-12.
// Public events only (no session is read), no cookies, no scripts; events open in a new tab.

export const handle = { embed: true };

const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const LIST_SIZE = 10;

function shiftMonth(month: string, by: number): string {
  const [y, m] = month.split("-").map(Number);
  const d = new Date(Date.UTC(y, m - 1 + by, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
}

export async function loader({ request }: LoaderFunctionArgs) {
  const params = new URL(request.url).searchParams;
  const { filters, values, feedScope } = await resolveFilters(params);
  delete values.from;
  delete values.to;
  const appUrl = env().APP_URL;
  const view = params.get("view") === "month" ? "month" : "list";
  const thisMonth = utcToLocal(new Date(), "Europe/London").slice(0, 7);
  const requested = params.get("month") ?? "";
  const month = /^(20\d\d|2100)-(0[1-9]|1[0-2])$/.test(requested) ? requested : thisMonth;
  // A month of a busy network holds thousands of dates: each day shows its first few.
  const monthItems = async () =>
    [...new Map(Object.values(await listMonth({ user: null, month, filters, perDay: 6 })).flatMap((d) => d.items.map((i) => [`${i.eventId}-${i.occurrence}`, i] as const))).values()].sort((a, b) =>
      a.startUtc.localeCompare(b.startUtc),
    );
  const items = view === "month" ? await monthItems() : (await listUpcoming({ user: null, filters, perPage: LIST_SIZE })).items;
  const scopeName = feedScope.kind === "network" || feedScope.kind === "organisation" ? feedScope.name : null;
  const [y, m] = month.split("-").map(Number);
  return json(
    {
      view,
      month,
      monthLabel: `${MONTHS[m - 1]} ${y}`,
      links: {
        previousMonth: `/embed/events${filterQuery(values, { view: "month", month: shiftMonth(month, -1) })}`,
        nextMonth: `/embed/events${filterQuery(values, { view: "month", month: shiftMonth(month, 1) })}`,
        month: `/embed/events${filterQuery(values, { view: "month" })}`,
        list: `/embed/events${filterQuery(values)}`,
      },
      heading: scopeName ? `Upcoming events: ${scopeName}` : "Upcoming events",
      moreUrl: `${appUrl}/events${filterQuery(values)}`,
      items: items
        .filter((i) => i.status !== "draft")
        .map((i) => ({
          key: `${i.eventId}-${i.occurrence}`,
          title: i.title,
          url: `${appUrl}${i.url}`,
          day: i.startLocal.slice(0, 10),
          when: i.when,
          place: i.place,
          kind: i.kindLabel,
          cancelled: i.status === "cancelled",
        })),
    },
    { headers: { "Cache-Control": "public, max-age=300" } },
  );
}

export const headers: HeadersFunction = ({ loaderHeaders }) => ({ "Cache-Control": loaderHeaders.get("Cache-Control") ?? "public, max-age=300" });

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.heading} – Roundtable` : "Events – Roundtable" }, { name: "robots", content: "noindex" }];

function NewTab() {
  return <span className="nhsuk-u-visually-hidden"> (opens in a new tab)</span>;
}

export default function EmbeddedEvents() {
  const data = useLoaderData<typeof loader>();
  const days = new Map<string, typeof data.items>();
  for (const item of data.items) days.set(item.day, [...(days.get(item.day) ?? []), item]);
  return (
    <main className="rt-embed__main" id="maincontent">
      <h1 className="nhsuk-heading-s rt-embed__title">{data.view === "month" ? `${data.heading.replace("Upcoming events", "Events")}, ${data.monthLabel}` : data.heading}</h1>
      <nav aria-label="Views" className="rt-embed__nav nhsuk-body-s">
        {data.view === "month" ? (
          <>
            <a href={data.links.previousMonth}>
              <span aria-hidden="true">‹</span> Previous month
            </a>
            <a href={data.links.nextMonth}>
              Next month <span aria-hidden="true">›</span>
            </a>
            <a href={data.links.list}>Upcoming list</a>
          </>
        ) : (
          <a href={data.links.month}>Month view</a>
        )}
      </nav>
      {data.items.length === 0 ? <p className="nhsuk-body-s">{data.view === "month" ? "No events this month." : "No upcoming events."}</p> : null}
      {data.view === "month" ? (
        [...days.entries()].map(([day, items]) => (
          <section key={day} aria-labelledby={`day-${day}`}>
            <h2 id={`day-${day}`} className="nhsuk-heading-xs rt-embed__day">
              {longDate(day)}
            </h2>
            <EventList items={items} />
          </section>
        ))
      ) : (
        <EventList items={data.items} />
      )}
      <p className="nhsuk-body-s rt-embed__more">
        <a href={data.moreUrl} target="_blank" rel="noopener">
          All events on Roundtable
          <NewTab />
        </a>
      </p>
    </main>
  );
}

function EventList({ items }: { items: Array<{ key: string; title: string; url: string; when: string; place: string; kind: string; cancelled: boolean }> }) {
  return (
    <ul className="nhsuk-list rt-embed__list">
      {items.map((i) => (
        <li key={i.key}>
          <a href={i.url} target="_blank" rel="noopener" className="rt-embed__event">
            {i.title}
            <NewTab />
          </a>
          {i.cancelled ? <strong className="nhsuk-tag nhsuk-tag--red rt-embed__tag">Cancelled</strong> : null}
          <span className="nhsuk-body-s rt-embed__meta">
            {i.when} · {i.place} · {i.kind}
          </span>
        </li>
      ))}
    </ul>
  );
}

export function ErrorBoundary() {
  return (
    <main className="rt-embed__main">
      <p>The events could not be shown just now.</p>
    </main>
  );
}

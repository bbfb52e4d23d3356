import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { ListLink } from "~/components/ListLink";
import { EmptyState, Page } from "~/components/Page";
import { RouteErrorBoundary } from "~/components/RouteErrorBoundary";
import { EventFilterForm, SubscribeBlock } from "~/components/events";
import { filterOptions, filterQuery, listMonth, resolveFilters } from "~/models/events/queries.server";
import { feedPath, feedTitle } from "~/models/events/feeds.server";
import { getOptionalUser } from "~/utils/auth.server";
import { env } from "~/utils/env.server";
import { longDate } from "~/utils/event-time";
import { utcToLocal } from "~/utils/recurrence";

/** Events shown in a day's cell; the rest are a link away. */
const PER_DAY = 4;
const MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"];
const WEEKDAYS = [
  ["Mon", "Monday"],
  ["Tue", "Tuesday"],
  ["Wed", "Wednesday"],
  ["Thu", "Thursday"],
  ["Fri", "Friday"],
  ["Sat", "Saturday"],
  ["Sun", "Sunday"],
];

function shiftMonth(month: string, by: number): string {
  const [y, m] = month.split("-").map(Number);
  const d = new Date(Date.UTC(y, m - 1 + by, 1));
  return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
}

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getOptionalUser(request);
  const params = new URL(request.url).searchParams;
  const requested = params.get("month") ?? "";
  const thisMonth = utcToLocal(new Date(), "Europe/London").slice(0, 7);
  const month = /^(20\d\d|2100)-(0[1-9]|1[0-2])$/.test(requested) ? requested : thisMonth;
  const { filters, values, feedScope } = await resolveFilters(params);
  delete values.from;
  delete values.to;
  const [days, options] = await Promise.all([listMonth({ user, month, filters, perDay: PER_DAY }), filterOptions()]);
  // A busy day shows its first few events and links to the rest in the list, so the month
  // stays one readable page however many events a network holds.
  const byDay: Record<string, { events: Array<{ title: string; url: string; time: string; status: string }>; more: number; moreUrl: string }> = {};
  for (const [d, day] of Object.entries(days)) {
    byDay[d] = {
      events: day.items.map((i) => ({ title: i.title, url: i.url, time: i.allDay ? "All day" : i.shortWhen.split(", ")[1]?.split("–")[0] ?? "", status: i.status })),
      more: day.more,
      moreUrl: `/events${filterQuery(values, { from: d, to: d })}`,
    };
  }
  const path = feedPath(feedScope);
  const [y, m] = month.split("-").map(Number);
  return json({
    month,
    label: `${MONTHS[m - 1]} ${y}`,
    daysInMonth: new Date(Date.UTC(y, m, 0)).getUTCDate(),
    firstWeekday: (new Date(Date.UTC(y, m - 1, 1)).getUTCDay() + 6) % 7,
    today: utcToLocal(new Date(), "Europe/London").slice(0, 10),
    byDay,
    values,
    options,
    prev: `/events/calendar${filterQuery(values, { month: shiftMonth(month, -1) })}`,
    next: `/events/calendar${filterQuery(values, { month: shiftMonth(month, 1) })}`,
    prevLabel: MONTHS[Number(shiftMonth(month, -1).slice(5)) - 1],
    nextLabel: MONTHS[Number(shiftMonth(month, 1).slice(5)) - 1],
    feed: { title: feedTitle(feedScope), url: `${env().APP_URL}${path}` },
  });
}

export const links: LinksFunction = () => [{ rel: "alternate", type: "text/calendar", title: "Roundtable events (iCalendar)", href: "/events.ics" }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.label ?? "Calendar"} – Events – Roundtable` }];

function MoreLink({ day, more, url }: { day: string; more: number; url: string }) {
  if (more === 0) return null;
  return (
    <li>
      <ListLink to={url}>
        {more} more<span className="nhsuk-u-visually-hidden"> events on {longDate(day)}</span>
      </ListLink>
    </li>
  );
}

export default function MonthCalendar() {
  const data = useLoaderData<typeof loader>();
  const cells: Array<string | null> = [];
  for (let i = 0; i < data.firstWeekday; i++) cells.push(null);
  for (let d = 1; d <= data.daysInMonth; d++) cells.push(`${data.month}-${String(d).padStart(2, "0")}`);
  while (cells.length % 7) cells.push(null);
  const weeks: Array<Array<string | null>> = [];
  for (let i = 0; i < cells.length; i += 7) weeks.push(cells.slice(i, i + 7));
  const days = Object.keys(data.byDay).sort();
  return (
    <Page crumbs={[{ to: "/events", label: "Events" }]} wide>
      <h1>Events in {data.label}</h1>
      <ul className="nhsuk-list rt-inline-links">
        <li>
          <Link to="/events">List of upcoming events</Link>
        </li>
        <li>
          <Link to="/events/past">Past events</Link>
        </li>
      </ul>
      <nav className="rt-month-nav" aria-label="Months">
        <Link to={data.prev}>
          <span aria-hidden="true">← </span>
          {data.prevLabel}
          <span className="nhsuk-u-visually-hidden"> (previous month)</span>
        </Link>
        <Link to={data.next}>
          {data.nextLabel}
          <span className="nhsuk-u-visually-hidden"> (next month)</span>
          <span aria-hidden="true"> →</span>
        </Link>
      </nav>

      <table className="nhsuk-table rt-month">
        <caption className="nhsuk-table__caption">{data.label} (UK time)</caption>
        <thead className="nhsuk-table__head">
          <tr className="nhsuk-table__row">
            {WEEKDAYS.map(([short, long]) => (
              <th key={short} className="nhsuk-table__header" scope="col">
                <abbr title={long}>{short}</abbr>
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="nhsuk-table__body">
          {weeks.map((week, wi) => (
            <tr className="nhsuk-table__row" key={wi}>
              {week.map((day, di) => (
                <td
                  key={di}
                  className={`nhsuk-table__cell rt-month__day${day === data.today ? " rt-month__day--today" : ""}${day && data.byDay[day] ? "" : " rt-month__day--free"}`}
                >
                  {day ? (
                    <>
                      <span className="rt-month__date">
                        <span className="rt-month__long-date">{longDate(day)}</span>
                        <span className="rt-month__short-date" aria-hidden="true">
                          {Number(day.slice(8))}
                        </span>
                      </span>
                      {data.byDay[day] ? (
                        <ul className="nhsuk-list rt-month__events">
                          {data.byDay[day].events.map((e, i) => (
                            <li key={i}>
                              <ListLink to={e.url}>
                                {e.time} {e.title}
                                {e.status === "cancelled" ? " (cancelled)" : e.status === "postponed" ? " (postponed)" : ""}
                              </ListLink>
                            </li>
                          ))}
                          <MoreLink day={day} more={data.byDay[day].more} url={data.byDay[day].moreUrl} />
                        </ul>
                      ) : null}
                    </>
                  ) : null}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
      {days.length === 0 ? <EmptyState title={`No events in ${data.label}.`} /> : null}

      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-one-half">
          <EventFilterForm action="/events/calendar" values={data.values} networks={data.options.networks} showDates={false} hidden={{ month: data.month }} />
        </div>
        <div className="nhsuk-grid-column-one-half">
          <SubscribeBlock title={data.feed.title} feedUrl={data.feed.url} />
        </div>
      </div>
    </Page>
  );
}

export const ErrorBoundary = RouteErrorBoundary;

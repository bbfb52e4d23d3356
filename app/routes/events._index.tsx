import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { EmptyState, Page } from "~/components/Page";
import { RouteErrorBoundary } from "~/components/RouteErrorBoundary";
import { EventFilterForm, OccurrenceList, Pager, SubscribeBlock } from "~/components/events";
import { ErrorSummary } from "~/components/forms";
import { MapView } from "~/components/MapView";
import { organiserNetworks } from "~/models/access.server";
import { filterOptions, filterQuery, listUpcoming, resolveFilters } from "~/models/events/queries.server";
import { feedPath, feedTitle } from "~/models/events/feeds.server";
import { listUpcomingNear, type NearbyItem } from "~/models/events/nearby.server";
import { readNear } from "~/models/places.server";
import { getOptionalUser } from "~/utils/auth.server";
import { env, mapTileUrl } from "~/utils/env.server";
import { formatMiles } from "~/validation/near";

const PER_PAGE = 20;
const NONE: NearbyItem[] = [];
const MAX_PAGE = 50;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getOptionalUser(request);
  const params = new URL(request.url).searchParams;
  const { filters, values, from, to, feedScope } = await resolveFilters(params);
  const pageParam = Number(params.get("page") ?? "1");
  const page = Number.isInteger(pageParam) ? Math.min(Math.max(pageParam, 1), MAX_PAGE) : 1;
  const now = new Date();
  const near = await readNear(params);
  const start = from && from > now ? from : now;
  const [listing, options, organising] = await Promise.all([
    near.place
      ? listUpcomingNear({ user, filters, place: near.place, withinMiles: near.within, from: start, to, page, perPage: PER_PAGE }).then((r) => ({ ...r, nearby: r.items }))
      : listUpcoming({ user, filters, from: start, to, page, perPage: PER_PAGE }).then((r) => ({ ...r, nearby: NONE })),
    filterOptions(),
    organiserNetworks(user),
  ]);
  const { items, hasNext } = listing;
  const points = listing.nearby.flatMap((e) =>
    e.latitude !== null && e.longitude !== null && e.miles !== null
      ? [{ key: `${e.eventId}-${e.occurrence}`, name: e.title, url: e.url, detail: `${formatMiles(e.miles)} away · ${e.shortWhen}`, latitude: e.latitude, longitude: e.longitude }]
      : [],
  );
  const path = feedPath(feedScope);
  if (near.text) Object.assign(values, { near: near.text, within: String(near.within) });
  return json({
    items,
    near: { text: near.text, within: near.within, located: Boolean(near.place), place: near.place, error: near.error },
    tiles: near.place ? mapTileUrl() : null,
    points,
    values,
    options,
    canCreate: organising.length > 0,
    signedIn: Boolean(user),
    feed: { title: feedTitle(feedScope), url: `${env().APP_URL}${path}`, path },
    prev: page > 1 ? `/events${filterQuery(values, page > 2 ? { page: String(page - 1) } : {})}` : null,
    next: hasNext && page < MAX_PAGE ? `/events${filterQuery(values, { page: String(page + 1) })}` : null,
    filtered: Object.keys(values).length > 0,
  });
}

export const links: LinksFunction = () => [{ rel: "alternate", type: "text/calendar", title: "Roundtable events (iCalendar)", href: "/events.ics" }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: "Events – Roundtable" },
  { name: "description", content: "Round tables, conferences, panels, training and the weekly Social Prescribing Hour, in UK time." },
  ...(data && data.feed.path !== "/events.ics" ? [{ tagName: "link", rel: "alternate", type: "text/calendar", title: data.feed.title, href: data.feed.path }] : []),
];

export default function EventsIndex() {
  const data = useLoaderData<typeof loader>();
  return (
    <Page crumbs={[{ to: "/events", label: "Events" }]}>
      <ErrorSummary errors={data.near.error ? { near: data.near.error } : undefined} />
      <h1>Events</h1>
      <p className="nhsuk-lede-text rt-lede-list">Round tables, conferences, panels, training and the weekly Social Prescribing Hour. All times are UK time.</p>
      <ul className="nhsuk-list rt-inline-links">
        <li>
          <Link to={`/events/calendar${data.values.network || data.values.kind || data.values.topic || data.values.organisation ? `?${new URLSearchParams(Object.entries(data.values).filter(([k]) => !["from", "to", "near", "within"].includes(k))).toString()}` : ""}`}>Month view</Link>
        </li>
        <li>
          <Link to="/events/past">Past events</Link>
        </li>
        {data.canCreate ? (
          <li>
            <Link to="/events/new">Add an event</Link>
          </li>
        ) : null}
        {data.signedIn ? (
          <li>
            <Link to="/account/calendar">My calendar feed</Link>
          </li>
        ) : null}
      </ul>
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-one-third">
          {/* On a phone the filters fold away behind one line, so the events come first (works without JavaScript). */}
          <details className="nhsuk-details rt-filter-panel" open={data.near.error ? true : undefined}>
            <summary className="nhsuk-details__summary">
              <span className="nhsuk-details__summary-text">Filter events or subscribe{data.filtered ? " (filters on)" : ""}</span>
            </summary>
            <div className="nhsuk-details__text">
              <EventFilterForm action="/events" values={data.values} networks={data.options.networks} near={data.near} />
              <SubscribeBlock title={data.feed.title} feedUrl={data.feed.url} />
            </div>
          </details>
        </div>
        <div className="nhsuk-grid-column-two-thirds">
          {data.items.length === 0 ? (
            <EmptyState title={data.filtered ? "No upcoming events match these filters." : "No upcoming events yet."}>
              {data.filtered ? (
                <p>
                  <Link to="/events">Show all events</Link>
                </p>
              ) : (
                <p>Organisers can add round tables, conferences and online chats for their network.</p>
              )}
            </EmptyState>
          ) : (
            <>
              {data.near.located ? (
                <h2 className="nhsuk-heading-s rt-count">
                  Upcoming events within {data.near.within} {data.near.within === 1 ? "mile" : "miles"} of {data.near.text}, nearest first
                </h2>
              ) : (
                <h2 className="nhsuk-u-visually-hidden">Upcoming events</h2>
              )}
              {data.near.place ? (
                <MapView
                  label={`Map of events near ${data.near.text}`}
                  centre={{ ...data.near.place, name: data.near.text }}
                  points={data.points}
                  tiles={data.tiles}
                />
              ) : null}
              <OccurrenceList items={data.items} headingLevel={3} />
            </>
          )}
          <Pager prev={data.prev} next={data.next} />
        </div>
      </div>
    </Page>
  );
}

export const ErrorBoundary = RouteErrorBoundary;

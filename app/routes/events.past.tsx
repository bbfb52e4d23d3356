import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { EmptyState, Page } from "~/components/Page";
import { RouteErrorBoundary } from "~/components/RouteErrorBoundary";
import { OccurrenceList, Pager, SubscribeBlock } from "~/components/events";
import { filterQuery, listPast, resolveFilters } from "~/models/events/queries.server";
import { feedPath, feedTitle } from "~/models/events/feeds.server";
import { getOptionalUser } from "~/utils/auth.server";
import { env } from "~/utils/env.server";

const PER_PAGE = 20;

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getOptionalUser(request);
  const params = new URL(request.url).searchParams;
  const { filters, values, feedScope } = await resolveFilters(params);
  delete values.from;
  delete values.to;
  const pageParam = Number(params.get("page") ?? "1");
  const page = Number.isInteger(pageParam) ? Math.min(Math.max(pageParam, 1), 50) : 1;
  const { items, hasNext } = await listPast({ user, filters, page, perPage: PER_PAGE });
  const path = feedPath(feedScope);
  return json({
    items,
    feed: { title: feedTitle(feedScope), url: `${env().APP_URL}${path}` },
    prev: page > 1 ? `/events/past${filterQuery(values, page > 2 ? { page: String(page - 1) } : {})}` : null,
    next: hasNext ? `/events/past${filterQuery(values, { page: String(page + 1) })}` : null,
  });
}

export const links: LinksFunction = () => [{ rel: "alternate", type: "text/calendar", title: "Roundtable events (iCalendar)", href: "/events.ics" }];

export const meta: MetaFunction = () => [{ title: "Past events – Roundtable" }];

export default function PastEvents() {
  const data = useLoaderData<typeof loader>();
  return (
    <Page crumbs={[{ to: "/events", label: "Events" }]}>
      <h1>Past events</h1>
      <p>
        <Link to="/events">See upcoming events</Link>
      </p>
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          {data.items.length === 0 ? <EmptyState title="No past events yet." /> : <OccurrenceList items={data.items} />}
          <Pager prev={data.prev} next={data.next} />
        </div>
        <div className="nhsuk-grid-column-one-third">
          <SubscribeBlock title={data.feed.title} feedUrl={data.feed.url} />
        </div>
      </div>
    </Page>
  );
}

export const ErrorBoundary = RouteErrorBoundary;

import type { LinksFunction, LoaderFunctionArgs } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { EmptyState, Page } from "~/components/Page";
import { getOptionalUser } from "~/utils/auth.server";
import { listNextOccurrences } from "~/models/events/queries.server";
import { listNetworkCards } from "~/models/networks.server";
import { listApprovedOrganisations } from "~/models/organisations.server";
import { listNewestPublicResources } from "~/models/resources.server";
import { SECTOR_LABELS } from "~/utils/vocab";
import { ListLink } from "~/components/ListLink";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await getOptionalUser(request);
  const [networks, organisations, resources, events] = await Promise.all([listNetworkCards(), listApprovedOrganisations({ limit: 6 }), listNewestPublicResources({ limit: 5 }), listNextOccurrences({ user, limit: 5 })]);
  return json({
    networks,
    organisations: organisations.map((o) => ({ id: o.id, slug: o.slug, name: o.name, sector: o.sector })),
    resources: resources.map((r) => ({ id: r.id, title: r.title, meta: r.meta })),
    events: events.map((e) => ({ key: `${e.eventId}-${e.occurrence}`, title: e.title, url: e.url, meta: `${e.shortWhen} · ${e.place}` })),
  });
}

export const links: LinksFunction = () => [{ rel: "alternate", type: "text/calendar", title: "Roundtable events (iCalendar)", href: "/events.ics" }];

export default function Home() {
  const { networks, organisations, resources, events } = useLoaderData<typeof loader>();
  return (
    <>
      <div className="rt-hero">
        <div className="nhsuk-width-container">
          <h1 className="nhsuk-heading-xl">Social prescribing works when everyone is around the table</h1>
          <p className="nhsuk-body-l">
            Roundtable brings each regional social prescribing network together: local authorities, voluntary and community
            groups, integrated care boards, GP practices, NHS trusts, universities, museums and arts charities.
          </p>
        </div>
      </div>
      <Page>
        <div className="nhsuk-grid-row">
          <div className="nhsuk-grid-column-two-thirds">
            <h2>Find what you need</h2>
            <ul className="rt-card-grid">
              {[
                { to: "/events", title: "Events", text: "Round tables, conferences and the weekly Social Prescribing Hour." },
                { to: "/resources", title: "Resources", text: "Reports, guides, evidence and videos shared by members." },
                { to: "/organisations", title: "Organisations", text: "Who does what, where, and with what results." },
                { to: "/discussions", title: "Discussions", text: "Ask, share and decide together between events." },
              ].map((c) => (
                <li key={c.to}>
                  <div className="nhsuk-card nhsuk-card--clickable">
                    <div className="nhsuk-card__content">
                      <h3 className="nhsuk-card__heading nhsuk-heading-m">
                        <ListLink className="nhsuk-card__link" to={c.to}>
                          {c.title}
                        </ListLink>
                      </h3>
                      <p className="nhsuk-card__description">{c.text}</p>
                    </div>
                  </div>
                </li>
              ))}
            </ul>
          </div>
          <div className="nhsuk-grid-column-one-third">
            <div className="nhsuk-card">
              <div className="nhsuk-card__content">
                <h2 className="nhsuk-card__heading nhsuk-heading-s">Get the digest</h2>
                <p className="nhsuk-card__description">
                  A short email with new events, resources and discussions. No account needed.
                </p>
                <Link className="nhsuk-action-link__link" to="/digest">
                  Subscribe to the email digest
                </Link>
              </div>
            </div>
          </div>
        </div>

        <h2>Networks</h2>
        <ul className="rt-card-grid">
          {networks.map((n) => (
            <li key={n.id}>
              <div className="nhsuk-card nhsuk-card--clickable">
                <div className="nhsuk-card__content">
                  <h3 className="nhsuk-card__heading nhsuk-heading-m">
                    <ListLink className="nhsuk-card__link" to={`/networks/${n.slug}`}>
                      {n.name}
                    </ListLink>
                  </h3>
                  <p className="nhsuk-card__description">{n.summary}</p>
                </div>
              </div>
            </li>
          ))}
        </ul>

        <h2>Upcoming events</h2>
        {events.length === 0 ? (
          <EmptyState title="No upcoming events yet.">
            <p>
              <Link to="/events">See the events calendar</Link>
            </p>
          </EmptyState>
        ) : (
          <>
            <ul className="nhsuk-list nhsuk-list--border">
              {events.map((e) => (
                <li key={e.key}>
                  <ListLink to={e.url}>{e.title}</ListLink>
                  <span className="nhsuk-body-s rt-meta rt-meta--below">{e.meta}</span>
                </li>
              ))}
            </ul>
            <p>
              <Link to="/events">All events</Link> · <Link to="/events#subscribe-heading">Subscribe in your calendar app</Link>
            </p>
          </>
        )}

        <h2>New resources</h2>
        {resources.length === 0 ? (
          <EmptyState title="No resources yet.">
            <p>
              <Link to="/resources">Browse the resource repository</Link>
            </p>
          </EmptyState>
        ) : (
          <>
            <ul className="nhsuk-list nhsuk-list--border">
              {resources.map((r) => (
                <li key={r.id}>
                  <ListLink to={`/resources/${r.id}`}>{r.title}</ListLink>
                  <span className="nhsuk-body-s rt-meta rt-meta--below">{r.meta}</span>
                </li>
              ))}
            </ul>
            <p>
              <Link to="/resources">All resources</Link>
            </p>
          </>
        )}

        <h2>Partner organisations</h2>
        <ul className="nhsuk-list nhsuk-list--border">
          {organisations.map((o) => (
            <li key={o.id}>
              <ListLink to={`/organisations/${o.slug}`}>{o.name}</ListLink>
              <span className="nhsuk-body-s rt-meta rt-meta--below">{SECTOR_LABELS[o.sector]}</span>
            </li>
          ))}
        </ul>
        <p>
          <Link to="/organisations">All organisations</Link>
        </p>
      </Page>
    </>
  );
}

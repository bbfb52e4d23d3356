import type { MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { EmptyState, Page } from "~/components/Page";
import { RouteErrorBoundary } from "~/components/RouteErrorBoundary";
import { listConnectorSchemes } from "~/models/organisations.server";

export async function loader() {
  return json({ groups: await listConnectorSchemes() });
}

export const meta: MetaFunction = () => [
  { title: "Connector schemes by area – Roundtable" },
  { name: "description", content: "Local social-prescribing connector schemes, the link workers who connect people with community support, listed by area." },
];

export default function ConnectorSchemes() {
  const { groups } = useLoaderData<typeof loader>();
  const count = groups.reduce((n, g) => n + g.schemes.length, 0);
  return (
    <Page crumbs={[{ to: "/organisations", label: "Organisations" }]}>
      <h1>Connector schemes by area</h1>
      <p className="nhsuk-lede-text">Local social-prescribing schemes employ link workers who connect people with community support. NHS England asks each region to map them.</p>
      {groups.length === 0 ? (
        <EmptyState title="No connector schemes listed yet">
          <p>
            Know one? <Link to="/organisations/new">Propose it</Link> with the sector “Connector scheme”.
          </p>
        </EmptyState>
      ) : (
        <>
          <p>
            {count === 1 ? "1 scheme" : `${count} schemes`} in {groups.length === 1 ? "1 area" : `${groups.length} areas`}:
          </p>
          <nav aria-label="Areas">
            <ul className="rt-tag-list">
              {groups.map((g, i) => (
                <li key={g.area}>
                  <a className="nhsuk-tag nhsuk-tag--white" href={`#area-${i}`}>
                    {g.area} ({g.schemes.length})
                  </a>
                </li>
              ))}
            </ul>
          </nav>
          {groups.map((g, i) => (
            <section key={g.area} aria-labelledby={`area-${i}`}>
              <h2 id={`area-${i}`}>{g.area}</h2>
              <ul className="nhsuk-list nhsuk-list--border">
                {g.schemes.map((s) => (
                  <li key={s.id}>
                    <h3 className="nhsuk-heading-s nhsuk-u-margin-bottom-1">
                      <Link to={`/organisations/${s.slug}`}>{s.name}</Link>
                    </h3>
                    <p className="nhsuk-u-margin-bottom-1">{s.summary}</p>
                    {s.email || s.phone ? (
                      <p className="nhsuk-body-s rt-meta nhsuk-u-margin-bottom-0">
                        {s.email ? <a href={`mailto:${s.email}`}>{s.email}</a> : null}
                        {s.email && s.phone ? " · " : ""}
                        {s.phone}
                      </p>
                    ) : null}
                  </li>
                ))}
              </ul>
            </section>
          ))}
        </>
      )}
    </Page>
  );
}

export const ErrorBoundary = RouteErrorBoundary;

import type { MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { EmptyState, Page } from "~/components/Page";
import { RouteErrorBoundary } from "~/components/RouteErrorBoundary";
import { listEvidenceByDomain } from "~/models/organisations.server";

export async function loader() {
  return json({ domains: await listEvidenceByDomain() });
}

export const meta: MetaFunction = () => [
  { title: "Evidence and outcomes – Roundtable" },
  { name: "description", content: "Outcomes from partners' case studies, gathered by the three Common Outcomes Framework domains, with their sources." },
];

export default function Evidence() {
  const { domains } = useLoaderData<typeof loader>();
  return (
    <Page crumbs={[{ to: "/organisations", label: "Organisations" }]}>
      <h1>Evidence and outcomes</h1>
      <p className="nhsuk-lede-text">
        What partners' case studies report, gathered by the three domains of the Common Outcomes Framework, so that everyone measures the same things.
      </p>
      <ul className="rt-inline-links nhsuk-list">
        {domains.map((d) => (
          <li key={d.domain}>
            <a href={`#domain-${d.domain}`}>{d.label}</a>
          </li>
        ))}
      </ul>
      {domains.map((d) => (
        <section key={d.domain} aria-labelledby={`domain-${d.domain}`}>
          <h2 id={`domain-${d.domain}`}>{d.label}</h2>
          {d.items.length === 0 ? (
            <EmptyState title="No case studies report this yet" />
          ) : (
            <ul className="nhsuk-list nhsuk-list--border">
              {d.items.map((c) => (
                <li key={c.id}>
                  <p className="nhsuk-heading-s nhsuk-u-margin-bottom-1">{c.figure_text}</p>
                  <p className="nhsuk-u-margin-bottom-1">
                    <Link to={`/organisations/${c.organisation_slug}#case-study-${c.id}`}>{c.title}</Link> · {c.organisation_name}
                  </p>
                  <p className="nhsuk-body-s rt-meta nhsuk-u-margin-bottom-0">
                    {[c.period, c.participants !== null ? `${c.participants} participants` : null].filter(Boolean).join(" · ")}
                    {c.source_title || c.source_url ? (
                      <>
                        {c.period || c.participants !== null ? " · " : ""}
                        Source:{" "}
                        {c.source_url ? (
                          <a href={c.source_url} rel="noopener noreferrer">
                            {c.source_title || c.source_url}
                          </a>
                        ) : (
                          c.source_title
                        )}
                      </>
                    ) : null}
                  </p>
                </li>
              ))}
            </ul>
          )}
        </section>
      ))}
    </Page>
  );
}

export const ErrorBoundary = RouteErrorBoundary;

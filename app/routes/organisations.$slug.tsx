import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Page } from "~/components/Page";
import { RouteErrorBoundary } from "~/components/RouteErrorBoundary";
import { getOrganisationBySlug } from "~/models/organisations.server";
import { SECTOR_LABELS } from "~/utils/vocab";

export async function loader({ params }: LoaderFunctionArgs) {
  const org = await getOrganisationBySlug(params.slug ?? "");
  if (!org) throw new Response("Not found", { status: 404 });
  return json({
    organisation: {
      name: org.name,
      sector: org.sector,
      summary: org.summary,
      description: org.description,
      area_served: org.area_served,
      address: org.address,
      postcode: org.postcode,
      website: org.website,
      email: org.email,
    },
  });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.organisation.name} – Roundtable` : "Organisation – Roundtable" }];

export default function OrganisationPage() {
  const { organisation: o } = useLoaderData<typeof loader>();
  return (
    <Page crumbs={[{ to: "/organisations", label: "Organisations" }]}>
      <span className="nhsuk-caption-l">{SECTOR_LABELS[o.sector]}</span>
      <h1>{o.name}</h1>
      <p className="nhsuk-lede-text">{o.summary}</p>
      <p>{o.description}</p>
      <dl className="nhsuk-summary-list">
        <div className="nhsuk-summary-list__row">
          <dt className="nhsuk-summary-list__key">Area served</dt>
          <dd className="nhsuk-summary-list__value">{o.area_served}</dd>
        </div>
        {o.address ? (
          <div className="nhsuk-summary-list__row">
            <dt className="nhsuk-summary-list__key">Address</dt>
            <dd className="nhsuk-summary-list__value">{[o.address, o.postcode].filter(Boolean).join(", ")}</dd>
          </div>
        ) : null}
        {o.website ? (
          <div className="nhsuk-summary-list__row">
            <dt className="nhsuk-summary-list__key">Website</dt>
            <dd className="nhsuk-summary-list__value">
              <a href={o.website} rel="noopener">
                {o.website.replace(/^https?:\/\//, "")}
              </a>
            </dd>
          </div>
        ) : null}
        {o.email ? (
          <div className="nhsuk-summary-list__row">
            <dt className="nhsuk-summary-list__key">Email</dt>
            <dd className="nhsuk-summary-list__value">
              <a href={`mailto:${o.email}`}>{o.email}</a>
            </dd>
          </div>
        ) : null}
      </dl>
    </Page>
  );
}

export const ErrorBoundary = RouteErrorBoundary;

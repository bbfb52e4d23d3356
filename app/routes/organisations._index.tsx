import { json } from "@remix-run/node";
import type { MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Page } from "~/components/Page";
import { RouteErrorBoundary } from "~/components/RouteErrorBoundary";
import { listApprovedOrganisations } from "~/models/organisations.server";
import { SECTOR_LABELS } from "~/utils/vocab";

export async function loader() {
  return json({ organisations: await listApprovedOrganisations() });
}

export const meta: MetaFunction = () => [{ title: "Organisations – Roundtable" }];

export default function Organisations() {
  const { organisations } = useLoaderData<typeof loader>();
  return (
    <Page crumbs={[]}>
      <h1>Partner organisations</h1>
      <ul className="nhsuk-list nhsuk-list--border">
        {organisations.map((o) => (
          <li key={o.id}>
            <h2 className="nhsuk-heading-s nhsuk-u-margin-bottom-1">
              <Link to={`/organisations/${o.slug}`}>{o.name}</Link>
            </h2>
            <p className="nhsuk-body-s rt-meta nhsuk-u-margin-bottom-1">
              {SECTOR_LABELS[o.sector]} · {o.area_served}
            </p>
            <p className="nhsuk-u-margin-bottom-0">{o.summary}</p>
          </li>
        ))}
      </ul>
    </Page>
  );
}

export const ErrorBoundary = RouteErrorBoundary;

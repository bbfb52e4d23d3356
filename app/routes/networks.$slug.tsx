import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Page } from "~/components/Page";
import { RouteErrorBoundary } from "~/components/RouteErrorBoundary";
import { getNetworkBySlug } from "~/models/networks.server";
import { listNetworkOrganisations } from "~/models/organisations.server";
import { SECTOR_LABELS } from "~/utils/vocab";

export async function loader({ params }: LoaderFunctionArgs) {
  const network = await getNetworkBySlug(params.slug ?? "");
  if (!network) throw new Response("Not found", { status: 404 });
  const organisations = await listNetworkOrganisations(network.id);
  return json({
    network: {
      slug: network.slug,
      name: network.name,
      region: network.region,
      summary: network.summary,
      about: network.about,
      purpose: network.purpose,
      host_name: network.host_name,
      host_slug: network.host_slug,
      contact_email: network.contact_email,
    },
    organisations,
  });
}

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: data ? `${data.network.name} – Roundtable` : "Network – Roundtable" }];

export default function NetworkPage() {
  const { network, organisations } = useLoaderData<typeof loader>();
  return (
    <Page crumbs={[{ to: "/networks", label: "Networks" }]}>
      <h1>{network.name}</h1>
      <p className="nhsuk-lede-text">{network.summary}</p>
      <dl className="nhsuk-summary-list">
        <div className="nhsuk-summary-list__row">
          <dt className="nhsuk-summary-list__key">Region</dt>
          <dd className="nhsuk-summary-list__value">{network.region}</dd>
        </div>
        {network.host_name ? (
          <div className="nhsuk-summary-list__row">
            <dt className="nhsuk-summary-list__key">Hosted by</dt>
            <dd className="nhsuk-summary-list__value">
              <Link to={`/organisations/${network.host_slug}`}>{network.host_name}</Link>
            </dd>
          </div>
        ) : null}
        {network.contact_email ? (
          <div className="nhsuk-summary-list__row">
            <dt className="nhsuk-summary-list__key">Contact</dt>
            <dd className="nhsuk-summary-list__value">
              <a href={`mailto:${network.contact_email}`}>{network.contact_email}</a>
            </dd>
          </div>
        ) : null}
      </dl>
      <h2>About</h2>
      <p>{network.about}</p>
      <h2>What it is for</h2>
      <p>{network.purpose}</p>
      <h2>Partner organisations</h2>
      <ul className="nhsuk-list nhsuk-list--border">
        {organisations.map((o) => (
          <li key={o.id}>
            <Link to={`/organisations/${o.slug}`}>{o.name}</Link>
            <span className="nhsuk-body-s rt-meta"> · {SECTOR_LABELS[o.sector]}</span>
          </li>
        ))}
      </ul>
    </Page>
  );
}

export const ErrorBoundary = RouteErrorBoundary;

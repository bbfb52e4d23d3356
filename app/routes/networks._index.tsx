import { json } from "@remix-run/node";
import type { MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { Page } from "~/components/Page";
import { RouteErrorBoundary } from "~/components/RouteErrorBoundary";
import { listNetworks } from "~/models/networks.server";

export async function loader() {
  return json({ networks: await listNetworks() });
}

export const meta: MetaFunction = () => [{ title: "Networks – Roundtable" }];

export default function Networks() {
  const { networks } = useLoaderData<typeof loader>();
  return (
    <Page crumbs={[]}>
      <h1>Networks</h1>
      <p className="nhsuk-lede-text">Each region has its own network: its own members, calendar, resources and discussions.</p>
      <ul className="nhsuk-list nhsuk-list--border">
        {networks.map((n) => (
          <li key={n.id}>
            <h2 className="nhsuk-heading-m nhsuk-u-margin-bottom-2">
              <Link to={`/networks/${n.slug}`}>{n.name}</Link>
            </h2>
            <p className="nhsuk-u-margin-bottom-2">{n.summary}</p>
            <p className="nhsuk-body-s rt-meta">
              {n.region}
              {n.host_name ? ` · Hosted by ${n.host_name}` : ""} · {Number(n.member_count)} {Number(n.member_count) === 1 ? "member" : "members"}
            </p>
          </li>
        ))}
      </ul>
    </Page>
  );
}

export const ErrorBoundary = RouteErrorBoundary;

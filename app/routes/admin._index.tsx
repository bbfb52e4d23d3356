import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json } from "@remix-run/node";
import { Link } from "@remix-run/react";
import { Page } from "~/components/Page";
import { RouteErrorBoundary } from "~/components/RouteErrorBoundary";
import { requirePlatformAdmin } from "~/utils/auth.server";

/** Platform admins' tools in one place; everyone else gets a 404. */
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePlatformAdmin(request);
  return json({});
}

export const meta: MetaFunction = () => [{ title: "Platform admin – Roundtable" }];

export default function AdminIndex() {
  return (
    <Page crumbs={[{ to: "/account", label: "Your account" }]}>
      <h1>Platform admin</h1>
      <p>Tools for the people who run Roundtable. Network admins manage their own members from each network's members page.</p>
      <ul className="nhsuk-list nhsuk-list--border">
        <li>
          <Link to="/admin/accounts">Accounts</Link>
          <br />
          <span className="nhsuk-body-s rt-meta">Find someone's account and reset their two-step verification when they have lost their phone and recovery codes.</span>
        </li>
        <li>
          <Link to="/admin/digests">Digest sending</Link>
          <br />
          <span className="nhsuk-body-s rt-meta">Suspended addresses and recent digest periods.</span>
        </li>
        <li>
          <Link to="/organisations/queue">Organisations waiting for approval</Link>
          <br />
          <span className="nhsuk-body-s rt-meta">Organisations members have proposed.</span>
        </li>
      </ul>
    </Page>
  );
}

export const ErrorBoundary = RouteErrorBoundary;
